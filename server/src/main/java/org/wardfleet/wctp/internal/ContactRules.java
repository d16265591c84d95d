package org.wardfleet.wctp.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import java.util.Map;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Priority;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/** Each user's contact rules ({@code contact_rules}): a fallback pager and how long the app gets first, per priority. */
@Component
class ContactRules {

    static final Map<Priority, Integer> DEFAULT_AFTER = Map.of(Priority.STAT, 60, Priority.URGENT, 180);

    private final MongoCollection<Document> rules;

    ContactRules(MongoDatabase db) {
        this.rules = db.getCollection("contact_rules");
    }

    /** {@code fallbackAfterSeconds}: by priority word, as the API and storage have it. */
    record Rule(String userId, String orgId, String pager, Map<String, Integer> fallbackAfterSeconds) {

        int after(Priority priority) {
            Integer seconds = fallbackAfterSeconds.get(priority.name());
            return seconds != null ? seconds : DEFAULT_AFTER.getOrDefault(priority, 180);
        }
    }

    Mono<Rule> save(Rule rule) {
        return Mono.from(rules.replaceOne(and(eq("_id", rule.userId()), eq("orgId", rule.orgId())),
                new Document("_id", rule.userId()).append("orgId", rule.orgId()).append("pager", rule.pager())
                        .append("fallbackAfterSeconds", new Document(Map.copyOf(rule.fallbackAfterSeconds()))),
                new ReplaceOptions().upsert(true))).thenReturn(rule);
    }

    Mono<Rule> find(String orgId, String userId) {
        return Mono.from(rules.find(and(eq("_id", userId), eq("orgId", orgId))).first()).map(ContactRules::toRule);
    }

    /** The rules of many users (of any organisation; callers check it), by user id: one read. */
    Mono<Map<String, Rule>> findAll(java.util.Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return reactor.core.publisher.Flux.from(rules.find(com.mongodb.client.model.Filters.in("_id",
                        new java.util.LinkedHashSet<>(userIds)))).map(ContactRules::toRule)
                .collectMap(Rule::userId);
    }

    private static Rule toRule(Document d) {
        Document after = d.get("fallbackAfterSeconds", Document.class);
        Map<String, Integer> map = new java.util.LinkedHashMap<>();
        if (after != null) {
            after.forEach((k, v) -> map.put(k, ((Number) v).intValue()));
        }
        return new Rule(d.getString("_id"), d.getString("orgId"), d.getString("pager"), map);
    }
}
