package org.wardfleet.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * {@code GET /api/v1/me/inbox} and {@code GET /api/v1/conversations/{id}/messages}: a person's own conversations,
 * what waits for their answer on top, paged by cursor; nobody else's, in their organisation or another.
 */
@WardfleetTest
class InboxApiTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void unansweredStatPageComesFirstWithUnreadCountsAndPagesByCursor() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Ana Ito");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Ben Ode");
        TestApi.User cy = api.createUser(admin.token(), "CLINICIAN", "Cy Pym");
        String page = start(cy, ben);
        String pageMessage = send(cy, page, "Bed 4 needs you", "STAT", true);
        String chat = start(ana, ben);
        send(ana, chat, "Lunch at one?", "ROUTINE", false);
        send(ana, chat, "Or half past", "ROUTINE", false);

        Map<?, ?> first = inbox(ben, "size=1");
        Map<?, ?> top = item(first, 0);
        assertThat(top.get("conversationId")).isEqualTo(page);
        assertThat(top.get("kind")).isEqualTo("page");
        assertThat(top.get("priority")).isEqualTo("STAT");
        assertThat(top.get("awaitingMe")).isEqualTo(true);
        assertThat(top.get("openMessageId")).isEqualTo(pageMessage);
        assertThat(top.get("unread")).isEqualTo(1);
        assertThat(top.get("title")).isEqualTo("Cy Pym");
        assertThat(top.toString()).doesNotContain("Bed 4");
        String next = (String) first.get("next");
        assertThat(next).isNotNull();

        Map<?, ?> second = inbox(ben, "size=1&after=" + next);
        assertThat(item(second, 0).get("conversationId")).isEqualTo(chat);
        assertThat(item(second, 0).get("unread")).isEqualTo(2);
        assertThat(second.get("next")).isNull();

        // answered, the page is no longer on top: the newer conversation is
        http.post().uri("/api/v1/messages/{id}/receipts", pageMessage).headers(h -> h.setBearerAuth(ben.token()))
                .bodyValue(Map.of("state", "ACKNOWLEDGED")).exchange().expectStatus().isOk();
        assertThat(ids(inbox(ben, ""))).containsExactly(chat, page);
        assertThat(item(inbox(ben, ""), 1).get("awaitingMe")).isEqualTo(false);

        http.get().uri("/api/v1/me/inbox?after=not-a-cursor").headers(h -> h.setBearerAuth(ben.token())).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.type")
                .isEqualTo("urn:wardfleet:problem:validation-failed");
    }

    @Test
    void nobodyReadsAnotherPersonsInboxOrConversationInTheirOrganisationOrAnother() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Ana Ito");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Ben Ode");
        TestApi.User cy = api.createUser(admin.token(), "CLINICIAN", "Cy Pym");
        String chat = start(ana, ben);
        send(ana, chat, "Private note", "ROUTINE", false);
        TestApi.User otherAdmin = api.newOrganisation();
        TestApi.User stranger = api.createUser(otherAdmin.token(), "CLINICIAN", "Dee Far");

        assertThat(ids(inbox(ben, ""))).containsExactly(chat);
        Map<?, ?> view = messages(ben, chat).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        assertThat(((Map<?, ?>) ((List<?>) view.get("messages")).get(0)).get("text")).isEqualTo("Private note");
        // the same organisation: another clinician, and its administrator
        assertThat(ids(inbox(cy, ""))).isEmpty();
        assertThat(ids(inbox(admin, ""))).isEmpty();
        messages(cy, chat).expectStatus().isNotFound();
        messages(admin, chat).expectStatus().isNotFound();
        // another organisation
        assertThat(ids(inbox(stranger, ""))).isEmpty();
        messages(stranger, chat).expectStatus().isNotFound();
        messages(otherAdmin, chat).expectStatus().isNotFound();
        http.get().uri("/api/v1/me/inbox").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void recalledMessageLeavesTheRecipientsConversationButStaysMarkedForItsSender() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Ana Ito");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Ben Ode");
        String chat = start(ana, ben);
        String wrong = send(ana, chat, "Wrong patient", "URGENT", false);
        http.post().uri("/api/v1/messages/{id}/recall", wrong).headers(h -> h.setBearerAuth(ana.token())).exchange()
                .expectStatus().isOk();

        assertThat((List<?>) messages(ben, chat).expectBody(Map.class).returnResult().getResponseBody()
                .get("messages")).isEmpty();
        assertThat(item(inbox(ben, ""), 0).get("unread")).isEqualTo(0);
        Map<?, ?> forSender = (Map<?, ?>) ((List<?>) messages(ana, chat).expectBody(Map.class).returnResult()
                .getResponseBody().get("messages")).get(0);
        assertThat(forSender.get("recalledAt")).isNotNull();
        assertThat(forSender.get("text")).isNull();
    }

    @Test
    void aRecipientSeesTheirOwnReceiptAndTheSenderSeesEveryonesReceipts() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Ana Ito");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Ben Ode");
        TestApi.User cy = api.createUser(admin.token(), "CLINICIAN", "Cy Pym");
        String chat = (String) http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(ana.token()))
                .bodyValue(Map.of("participants", List.of(ben.id(), cy.id()))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        send(ana, chat, "Handover at 8", "ROUTINE", false);

        List<?> forBen = (List<?>) ((Map<?, ?>) ((List<?>) messages(ben, chat).expectBody(Map.class).returnResult()
                .getResponseBody().get("messages")).get(0)).get("recipients");
        assertThat(forBen).singleElement().satisfies(r -> assertThat(((Map<?, ?>) r).get("userId")).isEqualTo(ben.id()));
        List<?> forAna = (List<?>) ((Map<?, ?>) ((List<?>) messages(ana, chat).expectBody(Map.class).returnResult()
                .getResponseBody().get("messages")).get(0)).get("recipients");
        assertThat(forAna).hasSize(2);
    }

    private String start(TestApi.User who, TestApi.User other) {
        return (String) http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(who.token()))
                .bodyValue(Map.of("participants", List.of(other.id()))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private String send(TestApi.User who, String conversation, String text, String priority, boolean ack) {
        return (String) http.post().uri("/api/v1/conversations/{id}/messages", conversation)
                .headers(h -> h.setBearerAuth(who.token())).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("text", text, "priority", priority, "requiresAck", ack)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private Map<?, ?> inbox(TestApi.User who, String query) {
        return http.get().uri("/api/v1/me/inbox?" + query).headers(h -> h.setBearerAuth(who.token())).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec messages(TestApi.User who, String conversation) {
        return http.get().uri("/api/v1/conversations/{id}/messages", conversation)
                .headers(h -> h.setBearerAuth(who.token())).exchange();
    }

    private static Map<?, ?> item(Map<?, ?> page, int index) {
        return (Map<?, ?>) ((List<?>) page.get("items")).get(index);
    }

    private static List<String> ids(Map<?, ?> page) {
        return ((List<?>) page.get("items")).stream().map(i -> (String) ((Map<?, ?>) i).get("conversationId"))
                .toList();
    }
}
