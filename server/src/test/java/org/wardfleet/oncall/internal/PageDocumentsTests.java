package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.wardfleet.messaging.PageState;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;

/**
 * A page is stored in the words it always was (pages written before the records were typed are read back, and other
 * readers of the collection see no change), and comes back as the same types. Without the application.
 */
class PageDocumentsTests {

    static final Instant AT = Instant.parse("2026-12-07T20:00:00Z");

    @Test
    void aPageIsStoredInTheSameWordsAndFieldsAndReadBackAsTheSameTypes() {
        PageStore.Page page = new PageStore.Page("p1", "org", "doc", Priority.STAT, new Recipient.OnCallRole("r1"),
                List.of(new PageStore.Step(List.of(new Recipient.OnCallRole("r1"), new Recipient.Group("g1")), 60),
                        new PageStore.Step(List.of(new Recipient.User("u2")), 120)),
                3, 0, 1, PageState.ESCALATED, AT.plusSeconds(60), AT.plusSeconds(120), null, null,
                List.of(Map.of("at", AT.toString(), "event", "TRIGGERED")), AT);

        Document stored = PageDocuments.page(page);

        assertThat(stored.keySet()).containsExactly("_id", "orgId", "senderId", "priority", "to", "steps", "repeat",
                "round", "step", "state", "nextDueAt", "realertAt", "leaseUntil", "timeline", "createdAt");
        assertThat(stored.getString("priority")).isEqualTo("STAT");
        assertThat(stored.getString("state")).isEqualTo("ESCALATED");
        assertThat(stored.get("to")).isEqualTo(new Document("type", "role").append("id", "r1"));
        assertThat(stored.getList("steps", Document.class).get(0)).isEqualTo(new Document("waitSeconds", 60)
                .append("targets", List.of(new Document("type", "role").append("id", "r1"),
                        new Document("type", "group").append("id", "g1"))));
        assertThat(PageDocuments.toPage(stored)).isEqualTo(page);
    }

    @Test
    void everyKindOfTargetKeepsItsStoredTypeWord() {
        assertThat(PageDocuments.target(new Recipient.User("u"))).isEqualTo(new Document("type", "user")
                .append("id", "u"));
        assertThat(PageDocuments.target(new Recipient.Everyone())).isEqualTo(new Document("type", "all")
                .append("id", null));
        for (Recipient r : List.of(new Recipient.User("u"), new Recipient.OnCallRole("r"), new Recipient.Group("g"),
                new Recipient.Everyone())) {
            assertThat(PageDocuments.target(PageDocuments.target(r))).isEqualTo(r);
        }
        assertThat(PageDocuments.target((Document) null)).isNull();
    }
}
