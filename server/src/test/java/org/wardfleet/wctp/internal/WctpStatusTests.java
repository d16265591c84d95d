package org.wardfleet.wctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;
import org.wardfleet.sdk.tools.WctpLoopbackGateway;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * The sending system hears back: DELIVERED and READ notifications and the MCR answer chosen on the phone are POSTed
 * to its registered endpoint (retried when it is down), or returned to a polling client by wctp-ClientQuery; pager
 * numbers go straight to the paging gateway.
 */
@WardfleetTest
class WctpStatusTests {

    static final String CODE = "lab-system-security-code-1";
    static final WctpLoopbackGateway SENDER_ENDPOINT = start();
    static final WctpLoopbackGateway PAGING_GATEWAY = start();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("wardfleet.wctp.gateway.url", PAGING_GATEWAY::url);
        registry.add("wardfleet.wctp.gateway.security-code", () -> "gateway-code-12345");
        registry.add("wardfleet.wctp.gateway.backoff", () -> "10ms");
        registry.add("wardfleet.wctp.status.check", () -> "1h"); // the test drives it
        registry.add("wardfleet.wctp.fallback-check", () -> "1h");
        registry.add("wardfleet.wctp.allow-loopback-response-urls", () -> "true"); // the endpoints are on loopback
    }

    @AfterAll
    static void stop() {
        SENDER_ENDPOINT.close();
        PAGING_GATEWAY.close();
    }

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired WctpStatusNotifier notifier;
    @Autowired Clock clock;
    @Autowired WctpSenders senders;
    @Autowired MongoDatabase db;

    @Test
    void deliveredReadAndTheChosenAnswerComeBackToTheSendersEndpointOnceEach() {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = nurseOnCall(admin, "sepsis-team");
        String sender = "lab-" + System.nanoTime();
        register(admin, sender, List.of("role:*"), List.of(SENDER_ENDPOINT.url()));

        // a URL the registration does not hold is refused, and nobody is paged
        assertThat(api.wctp(mcr(sender, "role:sepsis-team", "lab-1", "http://attacker.example/steal")))
                .contains("errorCode=\"403\"");
        assertThat(inbox(phone)).isEmpty();

        assertThat(api.wctp(mcr(sender, "role:sepsis-team", "lab-2", SENDER_ENDPOINT.url())))
                .contains("successCode=\"200\"");
        List<Map<?, ?>> messages = inbox(phone); // the phone fetched it: DELIVERED
        assertThat(messages).hasSize(1);
        String pageId = (String) messages.get(0).get("id");

        int before = SENDER_ENDPOINT.received().size();
        SENDER_ENDPOINT.answerWith(604, 1); // the lab system is busy once: the notification is retried
        notifier.check(clock.instant()).block();
        assertThat(SENDER_ENDPOINT.received()).hasSize(before + 1);
        notifier.check(clock.instant()).block(); // not due again yet
        assertThat(SENDER_ENDPOINT.received()).hasSize(before + 1);
        notifier.check(clock.instant().plusSeconds(60)).block();
        List<String> got = SENDER_ENDPOINT.received().subList(before, SENDER_ENDPOINT.received().size());
        assertThat(got).hasSize(2).allSatisfy(xml -> assertThat(xml).contains("<wctp-StatusInfo>")
                .contains("<wctp-Notification type=\"DELIVERED\"/>").contains("messageID=\"lab-2\""));

        receipt(phone, pageId, Map.of("state", "READ"));
        receipt(phone, pageId, Map.of("state", "ACKNOWLEDGED", "choice", "Accept"));
        // an answer that was not offered is refused
        api.deviceCall(phone, "POST", "/device/v1/messages/" + pageId + "/receipts",
                Map.of("state", "ACKNOWLEDGED", "choice", "Maybe")).expectStatus().is4xxClientError();
        notifier.check(clock.instant().plusSeconds(120)).block();
        notifier.check(clock.instant().plusSeconds(180)).block(); // nothing twice
        got = SENDER_ENDPOINT.received().subList(before + 2, SENDER_ENDPOINT.received().size());
        assertThat(got).hasSize(2);
        assertThat(got).anySatisfy(xml -> assertThat(xml).contains("<wctp-Notification type=\"READ\"/>"));
        assertThat(got).anySatisfy(xml -> assertThat(xml).contains("<wctp-MessageReply>")
                .contains("<wctp-Alphanumeric>Accept</wctp-Alphanumeric>").contains("messageID=\"lab-2\""));
    }

    @Test
    void aPollingClientGetsATrackingNumberAndAsksWithClientQuery() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", doctor.id());
        String sender = "poller-" + System.nanoTime();
        register(admin, sender, List.of("user:*"), List.of());

        String accepted = api.wctp("""
                <wctp-Operation wctpVersion="1.3"><wctp-SubmitClientMessage>
                  <wctp-SubmitClientHeader submitTimestamp="2026-12-02T08:00:00">
                    <wctp-ClientOriginator senderID="%s" securityCode="%s"/>
                    <wctp-ClientMessageControl notifyWhenDelivered="true"/>
                    <wctp-Recipient recipientID="user:%s"/>
                  </wctp-SubmitClientHeader>
                  <wctp-Payload><wctp-Alphanumeric>Critical potassium, ring lab</wctp-Alphanumeric></wctp-Payload>
                </wctp-SubmitClientMessage></wctp-Operation>""".formatted(sender, CODE, doctor.email()));
        assertThat(accepted).contains("<wctp-SubmitClientResponse>").contains("successCode=\"200\"");
        String tracking = accepted.replaceAll("(?s).*trackingNumber=\"([^\"]+)\".*", "$1");
        String query = "<wctp-Operation wctpVersion=\"1.3\"><wctp-ClientQuery senderID=\"%s\" recipientID=\"x\" "
                + "trackingNumber=\"%s\"/></wctp-Operation>";

        notifier.check(clock.instant()).block();
        assertThat(api.wctp(query.formatted(sender, tracking))).contains("<wctp-ClientQueryResponse>")
                .doesNotContain("DELIVERED");
        assertThat(inbox(phone)).hasSize(1);
        notifier.check(clock.instant()).block();
        assertThat(api.wctp(query.formatted(sender, tracking))).contains("<wctp-Notification type=\"DELIVERED\"/>")
                .contains("trackingNumber=\"" + tracking + "\"");
        // another sender cannot read it, and an unknown number is refused
        assertThat(api.wctp(query.formatted("nobody", tracking))).contains("errorCode=\"401\"");
        assertThat(api.wctp(query.formatted(sender, "00000000-0000-0000-0000-000000000000")))
                .contains("errorCode=\"403\"");
    }

    @Test
    void aPagerNumberGoesToThePagingGatewayWithOnlyWhatThePagerPolicyAllows() {
        TestApi.User admin = api.newOrganisation();
        String sender = "nursecall-" + System.nanoTime();
        register(admin, sender, List.of("55*"), List.of());
        int before = PAGING_GATEWAY.received().size();
        assertThat(api.wctp(submit(sender, "5512", "HIGH", "Bed 4 Mrs Smith fell"))).contains("successCode=\"200\"");
        List<String> sent = PAGING_GATEWAY.received().subList(before, PAGING_GATEWAY.received().size());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).contains("recipientID=\"5512\"").contains("STAT - open Wardfleet - ref")
                .doesNotContain("Smith");
        // outside the registration: refused, nothing sent
        assertThat(api.wctp(submit(sender, "6612", "HIGH", "x"))).contains("errorCode=\"403\"");
        // the gateway's refusal is passed back; its temporary failures are retried first
        PAGING_GATEWAY.answerWith(402, 1);
        assertThat(api.wctp(submit(sender, "5513", "HIGH", "x"))).contains("errorCode=\"402\"");
        PAGING_GATEWAY.answerWith(605, 1);
        assertThat(api.wctp(submit(sender, "5514", "HIGH", "x"))).contains("successCode=\"200\"");
        assertThat(PAGING_GATEWAY.received()).hasSize(before + 4);
    }

    @Test
    void aStoredResponseUrlThatNowLeadsToTheMetadataServiceIsNeverCalled() {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = nurseOnCall(admin, "night-lab");
        String orgId = (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("orgId");
        // registered before URLs were checked (or its host's DNS has changed since): stored as it is
        String sender = "legacy-" + System.nanoTime();
        String metadata = "http://169.254.169.254/latest/meta-data/";
        senders.register(orgId, sender, CODE, List.of("role:*"), List.of(metadata), null).block();

        assertThat(api.wctp(mcr(sender, "role:night-lab", "legacy-1", metadata))).contains("successCode=\"200\"");
        String pageId = (String) inbox(phone).get(0).get("id"); // DELIVERED is owed now
        notifier.check(clock.instant()).block();

        // refused when connecting, before a byte is sent, and not retried
        Document status = Mono.from(db.getCollection("wctp_status").find(Filters.eq("_id", pageId + ":DELIVERED"))
                .first()).block();
        assertThat(status.getString("state")).isEqualTo("FAILED");
        assertThat(status.getString("lastError")).isEqualTo("final:address-refused");
    }

    /** A clinician with a phone, on call in a new role named {@code role}; returns the phone. */
    private TestDevice nurseOnCall(TestApi.User admin, String role) {
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        api.onCallRole(admin.token(), role, nurse.id());
        return phone;
    }

    private List<Map<?, ?>> inbox(TestDevice phone) {
        Map<?, ?> inbox = http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + phone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<?, ?>> list = (List<Map<?, ?>>) inbox.get("messages");
        return list;
    }

    private void receipt(TestDevice phone, String id, Map<String, Object> body) {
        api.deviceCall(phone, "POST", "/device/v1/messages/" + id + "/receipts", body).expectStatus().isOk();
    }

    private static String mcr(String sender, String recipient, String messageId, String sendTo) {
        return """
                <?xml version="1.0"?>
                <wctp-Operation wctpVersion="wctp-dtd-v1r3">
                  <wctp-SubmitRequest>
                    <wctp-SubmitHeader submitTimestamp="2026-12-02T08:00:00">
                      <wctp-Originator senderID="%s" securityCode="%s"/>
                      <wctp-MessageControl messageID="%s" deliveryPriority="HIGH" notifyWhenDelivered="true"
                          notifyWhenRead="true" allowResponse="true" sendResponsesToID="%s"/>
                      <wctp-Recipient recipientID="%s"/>
                    </wctp-SubmitHeader>
                    <wctp-Payload><wctp-MCR>
                      <wctp-Message>Sepsis screen positive, bed 7: review?</wctp-Message>
                      <wctp-Response>Accept</wctp-Response><wctp-Response>Reject</wctp-Response>
                    </wctp-MCR></wctp-Payload>
                  </wctp-SubmitRequest>
                </wctp-Operation>
                """.formatted(sender, CODE, messageId, sendTo, recipient);
    }

    private static String submit(String sender, String recipient, String priority, String text) {
        return """
                <wctp-Operation wctpVersion="wctp-dtd-v1r3"><wctp-SubmitRequest><wctp-SubmitHeader>
                <wctp-Originator senderID="%s" securityCode="%s"/>
                <wctp-MessageControl messageID="%s" deliveryPriority="%s"/><wctp-Recipient recipientID="%s"/>
                </wctp-SubmitHeader><wctp-Payload><wctp-Alphanumeric>%s</wctp-Alphanumeric></wctp-Payload>
                </wctp-SubmitRequest></wctp-Operation>
                """.formatted(sender, CODE, java.util.UUID.randomUUID(), priority, recipient, text);
    }

    private void register(TestApi.User admin, String sender, List<String> allowed, List<String> urls) {
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("senderId", sender, "securityCode", CODE, "allowedRecipients", allowed,
                        "responseUrls", urls))
                .exchange().expectStatus().isCreated();
    }

    private static WctpLoopbackGateway start() {
        try {
            return new WctpLoopbackGateway();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
