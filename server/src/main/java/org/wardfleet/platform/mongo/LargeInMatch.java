package org.wardfleet.platform.mongo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

import de.bwaldvogel.mongo.bson.Document;

/**
 * The embedded server matches {@code {field: {$in: [...]}}} by walking the list for every candidate document, so
 * reading 10,000 documents by a 10,000-id {@code $in} (one batch read of a broadcast's message keys, a presence
 * refresh) cost 50 million comparisons. For a top-level field pinned to a list of strings — at the top level or in a
 * clause of {@code $and}, as the driver renders {@code Filters.and} — this checks membership in a hash set instead,
 * then matches the rest of the query as the server would. A document whose field is not a string (missing, an array,
 * a number) gets the server's own full match, so results are exactly the server's. Embedded mode only.
 */
final class LargeInMatch {

    /** Shorter lists are cheaper to walk than to hash. */
    static final int MIN_VALUES = 16;

    private record Plan(Document query, String field, Set<String> values, Document rest) {
    }

    /** The last query seen on this thread: one query's candidates are matched one after another. */
    private final ThreadLocal<Plan> last = new ThreadLocal<>();

    boolean matches(Document document, Document query, BiPredicate<Document, Document> server) {
        Plan plan = last.get();
        if (plan == null || plan.query() != query) {
            plan = plan(query);
            last.set(plan);
        }
        if (plan.field() == null) {
            return server.test(document, query);
        }
        Object value = document.get(plan.field());
        if (!(value instanceof String s)) {
            return server.test(document, query);
        }
        return plan.values().contains(s) && server.test(document, plan.rest());
    }

    static Plan plan(Document query) {
        for (String field : query.keySet()) {
            Set<String> values = strings(field, query.get(field));
            if (values != null) {
                Document rest = new Document(query);
                rest.remove(field);
                return new Plan(query, field, values, rest);
            }
        }
        if (query.get("$and") instanceof List<?> clauses) {
            for (int i = 0; i < clauses.size(); i++) {
                if (clauses.get(i) instanceof Document clause && clause.size() == 1) {
                    String field = clause.keySet().iterator().next();
                    Set<String> values = strings(field, clause.get(field));
                    if (values != null) {
                        List<Object> others = new ArrayList<>(clauses);
                        others.remove(i);
                        Document rest = new Document(query);
                        if (others.isEmpty()) {
                            rest.remove("$and");
                        } else {
                            rest.put("$and", others);
                        }
                        return new Plan(query, field, values, rest);
                    }
                }
            }
        }
        return new Plan(query, null, null, null);
    }

    /** The strings of {@code {$in: [strings...]}} on a plain top-level field, else null. */
    private static Set<String> strings(String field, Object condition) {
        if (field.startsWith("$") || field.contains(".") || !(condition instanceof Document d) || d.size() != 1
                || !(d.get("$in") instanceof List<?> list) || list.size() < MIN_VALUES) {
            return null;
        }
        Set<String> values = new HashSet<>();
        for (Object v : list) {
            if (!(v instanceof String s)) {
                return null;
            }
            values.add(s);
        }
        return values;
    }
}
