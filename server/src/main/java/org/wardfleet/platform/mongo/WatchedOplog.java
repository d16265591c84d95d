package org.wardfleet.platform.mongo;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * The embedded server's oplog, kept only for what a change stream watches. The server copies every insert, update and
 * delete of every collection into {@code local.oplog.rs}, and keeps it (no capped collection, no expiry), although
 * only change streams read it — and Wardfleet opens change streams only on its signal collections ({@link InsertFeed}),
 * and against an embedded server only from a second instance pointed at it. The copying was half of the embedded
 * server's insert cost in the broadcast benchmark (batches of 10,000 deliveries, inbox entries, receipts and audit
 * entries), and it grew memory and the H2 file without bound. Wardfleet's change streams never resume from an
 * earlier point: they report only changes made after they open, so once a stream's namespace (a collection, or a
 * whole database) is marked here as it opens, it misses nothing. (A stream resuming from a token saved before a
 * restart of an H2-backed server would find nothing recorded between the restart and its reopening.)
 */
final class WatchedOplog implements Oplog {

    private final Oplog inner;
    private final Set<String> watched = ConcurrentHashMap.newKeySet();

    WatchedOplog(Oplog inner) {
        this.inner = inner;
    }

    /** Whether changes to the collection {@code namespace} ({@code database.collection}) are kept. */
    boolean watched(String namespace) {
        if (watched.isEmpty()) {
            return false;
        }
        if (watched.contains(namespace)) {
            return true;
        }
        int dot = namespace.indexOf('.');
        return dot > 0 && watched.contains(namespace.substring(0, dot));
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        if (watched(namespace)) {
            inner.handleInsert(namespace, documents);
        }
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document query, List<Object> ids) {
        if (watched(namespace)) {
            inner.handleUpdate(namespace, selector, query, ids);
        }
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> ids) {
        if (watched(namespace)) {
            inner.handleDelete(namespace, query, ids);
        }
    }

    @Override
    public void handleDropCollection(String namespace) {
        if (watched(namespace)) {
            inner.handleDropCollection(namespace);
        }
    }

    @Override
    public Cursor createCursor(Document changeStream, String namespace, Aggregation aggregation) {
        watched.add(namespace); // before the stream's start position is taken: nothing after it is skipped
        return inner.createCursor(changeStream, namespace, aggregation);
    }
}
