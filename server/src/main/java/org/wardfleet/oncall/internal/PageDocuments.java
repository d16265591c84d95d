package org.wardfleet.oncall.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.wardfleet.messaging.PageState;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.platform.mongo.Documents;

/**
 * The page aggregate as stored — pages, escalation policies and their steps, page intents' and broadcasts' targets —
 * both directions, in one place: above the stores a page's priority, state and targets are types ({@link Priority},
 * {@link PageState}, {@link Recipient}); their words, and a target's {@code {type, id}} pair, exist only here and in
 * the stores' filters.
 */
final class PageDocuments {

    private PageDocuments() {
    }

    /** A target as stored: {@code {type, id}} ({@code id} null for everyone); null stays null. */
    static Document target(Recipient r) {
        return r == null ? null : new Document("type", r.type()).append("id", r.id());
    }

    static Recipient target(Document d) {
        return d == null ? null : Recipient.of(d.getString("type"), d.getString("id"));
    }

    static String word(Priority p) {
        return p == null ? null : p.name();
    }

    static String word(PageState s) {
        return s == null ? null : s.name();
    }

    static PageState state(String word) {
        return word == null ? null : PageState.valueOf(word);
    }

    static List<Document> steps(List<PageStore.Step> steps) {
        return steps.stream().map(s -> new Document("waitSeconds", s.waitSeconds()).append("targets",
                s.targets().stream().map(PageDocuments::target).toList())).toList();
    }

    static List<PageStore.Step> steps(Collection<Document> docs) {
        return docs.stream().map(d -> new PageStore.Step(d.getList("targets", Document.class).stream()
                .map(PageDocuments::target).toList(), d.getInteger("waitSeconds", 0))).toList();
    }

    static Document policy(PageStore.Policy p) {
        return new Document("_id", p.id()).append("orgId", p.orgId()).append("name", p.name())
                .append("repeat", p.repeat()).append("steps", steps(p.steps()));
    }

    static PageStore.Policy toPolicy(Document d) {
        return new PageStore.Policy(d.getString("_id"), d.getString("orgId"), d.getString("name"),
                d.getInteger("repeat", 0), steps(d.getList("steps", Document.class)));
    }

    static Document page(PageStore.Page p) {
        return new Document("_id", p.id()).append("orgId", p.orgId())
                .append("senderId", p.senderId()).append("priority", word(p.priority()))
                .append("to", target(p.to()))
                .append("steps", steps(p.steps())).append("repeat", p.repeat()).append("round", p.round())
                .append("step", p.step()).append("state", word(p.state()))
                .append("nextDueAt", Documents.date(p.nextDueAt()))
                .append("realertAt", Documents.date(p.realertAt())).append("leaseUntil", null)
                .append("timeline", p.timeline().stream().map(Document::new).toList())
                .append("createdAt", Documents.date(p.createdAt()));
    }

    static PageStore.Page toPage(Document d) {
        List<Map<String, Object>> timeline = d.getList("timeline", Document.class, List.of()).stream()
                .map(x -> (Map<String, Object>) new LinkedHashMap<String, Object>(x)).toList();
        return new PageStore.Page(d.getString("_id"), d.getString("orgId"), d.getString("senderId"),
                Priority.stored(d.getString("priority")), target(d.get("to", Document.class)),
                steps(d.getList("steps", Document.class)), d.getInteger("repeat", 0), d.getInteger("round", 0),
                d.getInteger("step", 0), state(d.getString("state")), Documents.instant(d.getDate("nextDueAt")),
                Documents.instant(d.getDate("realertAt")), d.getString("acknowledgedBy"),
                Documents.instant(d.getDate("acknowledgedAt")), timeline, Documents.instant(d.getDate("createdAt")));
    }

    /** A page read with {@link PageStore}'s list projection: no steps, no timeline. */
    static PageStore.Listed toListed(Document d) {
        return new PageStore.Listed(d.getString("_id"), d.getString("senderId"),
                Priority.stored(d.getString("priority")), target(d.get("to", Document.class)),
                d.getInteger("step", 0), d.getInteger("round", 0), state(d.getString("state")),
                d.getString("acknowledgedBy"), Documents.instant(d.getDate("acknowledgedAt")),
                Documents.instant(d.getDate("createdAt")));
    }
}
