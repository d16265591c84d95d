package org.wardfleet.platform.mongo;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;

/**
 * The embedded server only uses a unique index when a query names exactly that index's keys, so
 * {@code {_id: x, orgId: y}} — every tenant-scoped lookup — scanned the whole collection under the collection's lock
 * (a 10,000-device broadcast was quadratic). This wrapper lets a single-key unique index answer any query that pins
 * its key to a value (or {@code $in} values), at the top level or in a clause of {@code $and} (how the driver renders
 * {@code Filters.and}): the index finds the candidates, and the server still matches each candidate against the whole
 * query. Everything else is delegated. Embedded mode only; MongoDB plans its own queries. The in-memory backend also
 * counts the queries no index could answer ({@link Memory#fullScans()}), so tests can hold the hot paths to lookups,
 * and matches long {@code $in} lists of strings by hashing ({@link LargeInMatch}).
 */
final class KeyLookupIndex<P> extends Index<P> {

    private final Index<P> inner;
    private final String key;

    private KeyLookupIndex(Index<P> inner) {
        super(inner.getName(), inner.getKeys(), false);
        this.inner = inner;
        this.key = inner.getKeys().get(0).getKey();
    }

    /** Wraps single-key, non-sparse unique indexes (e.g. {@code _id}); others are returned as they are. */
    static <P> Index<P> wrap(Index<P> index, List<IndexKey> keys, boolean sparse) {
        return keys.size() == 1 && !sparse ? new KeyLookupIndex<>(index) : index;
    }

    @Override
    public boolean canHandle(Document query) {
        return inner.canHandle(query) || pinned(query) != null;
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        return inner.canHandle(query) ? inner.getPositions(query) : inner.getPositions(pinned(query));
    }

    /**
     * The part of the query an exact lookup can answer, or null: the key pinned at the top level or in any clause of
     * a {@code $and} (the driver renders {@code Filters.and(eq(_id), eq(orgId))} as {@code {$and: [...]}}). Every
     * document the whole query matches has the key at that value, so the lookup's candidates are a superset of the
     * matches, and the server still matches each candidate against the whole query.
     */
    private Document pinned(Document query) {
        if (query.containsKey(key)) {
            Object value = query.get(key);
            boolean exact = value instanceof Document expression
                    ? expression.size() == 1 && expression.get("$in") instanceof List<?> values
                            && values.stream().allMatch(KeyLookupIndex::plain)
                    : plain(value);
            Document part = exact ? new Document(key, value) : null;
            if (part != null && inner.canHandle(part)) {
                return part;
            }
        }
        if (query.get("$and") instanceof List<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document c) {
                    Document part = pinned(c);
                    if (part != null) {
                        return part;
                    }
                }
            }
        }
        return null;
    }

    /**
     * A value an exact index lookup finds every match for: not a regular expression, an array (array fields are
     * indexed element by element) or a sub-document — for those the query reads the collection as before.
     */
    private static boolean plain(Object value) {
        return !(value instanceof Document || value instanceof List<?> || value instanceof java.util.regex.Pattern
                || value instanceof de.bwaldvogel.mongo.bson.BsonRegularExpression);
    }

    @Override
    public P getPosition(Document document) {
        return inner.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        inner.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, P position, MongoCollection<P> collection) {
        inner.add(document, position, collection);
    }

    @Override
    public P remove(Document document) {
        return inner.remove(document);
    }

    @Override
    public long getCount() {
        return inner.getCount();
    }

    @Override
    public boolean isEmpty() {
        return inner.isEmpty();
    }

    @Override
    public long getDataSize() {
        return inner.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        inner.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection)
            throws KeyConstraintError {
        inner.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        inner.drop();
    }

    @Override
    public boolean isUnique() {
        return inner.isUnique();
    }

    @Override
    public Document toIndexDescription() {
        return inner.toIndexDescription();
    }

    /** The in-memory backend (tests, benchmarks) with key lookups; its oplog keeps only watched collections. */
    static final class Memory extends MemoryBackend {

        private final LongAdder fullScans = new LongAdder();

        /** Queries (finds, updates, deletes, counts) no index could answer: each read the whole collection. */
        long fullScans() {
            return fullScans.sum();
        }

        @Override
        protected de.bwaldvogel.mongo.oplog.Oplog createOplog() {
            return new WatchedOplog(super.createOplog());
        }

        @Override
        public MemoryDatabase openOrCreateDatabase(String databaseName) {
            CursorRegistry cursors = getCursorRegistry();
            return new MemoryDatabase(databaseName, cursors) {
                @Override
                protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
                    return new MemoryCollection(this, name, options, cursors) {
                        @Override
                        protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit,
                                int batchSize, Document fields) {
                            fullScans.increment();
                            return super.matchDocuments(query, orderBy, skip, limit, batchSize, fields);
                        }

                        private final LargeInMatch largeIn = new LargeInMatch();

                        @Override
                        protected boolean documentMatchesQuery(Document document, Document query) {
                            return largeIn.matches(document, query, super::documentMatchesQuery);
                        }

                        @Override
                        protected QueryResult matchDocumentsFromStream(Stream<Document> documents, Document query,
                                Document orderBy, int skip, int limit, int batchSize, Document fields) {
                            if (!EmbeddedSort.handles(orderBy)) {
                                return super.matchDocumentsFromStream(documents, query, orderBy, skip, limit,
                                        batchSize, fields);
                            }
                            return matchDocumentsFromStream(query, EmbeddedSort.top(documents.filter(
                                    d -> documentMatchesQuery(d, query)), orderBy, skip, limit), skip, limit,
                                    batchSize, null, fields);
                        }
                    };
                }

                @Override
                protected Index<Integer> openOrCreateUniqueIndex(String collectionName, String indexName,
                        List<IndexKey> keys, boolean sparse) {
                    return wrap(super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse), keys, sparse);
                }
            };
        }
    }

    /** The H2 file backend ({@code run}) with key lookups; its oplog keeps only watched collections. */
    static final class H2 extends H2Backend {
        H2(org.h2.mvstore.MVStore store) {
            super(store);
        }

        @Override
        protected de.bwaldvogel.mongo.oplog.Oplog createOplog() {
            return new WatchedOplog(super.createOplog());
        }

        @Override
        protected de.bwaldvogel.mongo.MongoDatabase openOrCreateDatabase(String databaseName) {
            return new H2Database(databaseName, getMvStore(), getCursorRegistry()) {
                /** As {@link H2Database} opens it (its map names, 1.47.0), with {@link EmbeddedSort}. */
                @Override
                protected de.bwaldvogel.mongo.MongoCollection<Object> openOrCreateCollection(String name,
                        CollectionOptions options) {
                    String full = getFullCollectionNamespace(name);
                    return new H2Collection(this, name, options, getMvStore().openMap("databases." + full),
                            getMvStore().openMap("meta." + full), getCursorRegistry()) {
                        @Override
                        protected QueryResult matchDocumentsFromStream(Stream<Document> documents, Document query,
                                Document orderBy, int skip, int limit, int batchSize, Document fields) {
                            if (!EmbeddedSort.handles(orderBy)) {
                                return super.matchDocumentsFromStream(documents, query, orderBy, skip, limit,
                                        batchSize, fields);
                            }
                            return matchDocumentsFromStream(query, EmbeddedSort.top(documents.filter(
                                    d -> documentMatchesQuery(d, query)), orderBy, skip, limit), skip, limit,
                                    batchSize, null, fields);
                        }
                    };
                }

                @Override
                protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName,
                        List<IndexKey> keys, boolean sparse) {
                    return wrap(super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse), keys, sparse);
                }
            };
        }
    }
}
