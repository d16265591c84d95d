package org.wardfleet.wctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.RawHttp;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/** A nurse-call system pages the on-call nurse over WCTP 1.3; bad senders and hostile XML get WCTP failures only. */
@WardfleetTest
class WctpInboundTests {

    static final String CODE = "nurse-call-security-code-1";

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @LocalServerPort int port;

    @Test
    void aRegisteredSystemPagesTheOnCallRoleAndTheNursesPhoneGetsIt() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        String sender = "nursecall-" + System.nanoTime();
        register(admin, sender, List.of("role:*"));
        api.onCallRole(admin.token(), "rapid-response", nurse.id());

        String ok = api.wctp(submit(sender, CODE, "role:rapid-response", "m-1", "HIGH", "Bed 12 call bell"));
        assertThat(ok).contains("<wctp-Success successCode=\"200\"");
        // the same message id again pages nobody twice
        assertThat(api.wctp(submit(sender, CODE, "role:rapid-response", "m-1", "HIGH", "Bed 12 call bell")))
                .contains("successCode=\"200\"");
        Map<?, ?> inbox = http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + phone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) inbox.get("messages")).hasSize(1);

        assertThat(api.wctp(submit(sender, "wrong-code-000000", "role:rapid-response", "m-2", "HIGH", "x")))
                .contains("errorCode=\"402\"");
        assertThat(api.wctp(submit("nobody", CODE, "role:rapid-response", "m-3", "HIGH", "x")))
                .contains("errorCode=\"401\"");
        assertThat(api.wctp(submit(sender, CODE, "user:" + nurse.email(), "m-4", "HIGH", "x")))
                .contains("errorCode=\"403\"");
        assertThat(api.wctp(submit(sender, CODE, "role:no-such-role", "m-5", "HIGH", "x"))).contains("errorCode=\"403\"");
        assertThat(api.wctp(submit(sender, CODE, "role:rapid-response", "m-6", "HIGH", "x".repeat(5000))))
                .contains("errorCode=\"411\"");
        assertThat(api.wctp("<wctp-Operation wctpVersion=\"1.3\"><wctp-VersionQuery/></wctp-Operation>"))
                .contains("<wctp-VersionResponse").contains("wctp-dtd-v1r3");
    }

    @Test
    void hostileOrBrokenXmlGetsAWctpFailureAndNothingElse() {
        assertThat(api.wctp("this is not xml")).contains("errorCode=\"301\"");
        assertThat(api.wctp("""
                <?xml version="1.0"?>
                <!DOCTYPE wctp-Operation [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <wctp-Operation wctpVersion="wctp-dtd-v1r3"><wctp-VersionQuery>&xxe;</wctp-VersionQuery></wctp-Operation>
                """)).contains("errorCode=\"302\"").doesNotContain("root:");
        assertThat(api.wctp("""
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
                <wctp-Operation>&lol2;</wctp-Operation>
                """)).contains("errorCode=\"302\"");
        assertThat(api.wctp("<a>".repeat(40) + "</a>".repeat(40))).contains("errorCode=\"302\"");
        assertThat(api.wctp("<wctp-Operation>" + "x".repeat(70_000) + "</wctp-Operation>")).contains("errorCode=\"301\"");
        // a 1 MB document is refused after reading 64 KB of it
        assertThat(api.wctp("<wctp-Operation>" + "<x>lol</x>".repeat(100_000) + "</wctp-Operation>"))
                .contains("errorCode=\"301\"");
        // the standard DOCTYPE line senders include is accepted without fetching anything
        assertThat(api.wctp("""
                <?xml version="1.0"?>
                <!DOCTYPE wctp-Operation SYSTEM "http://dtd.wctp.org/wctp-dtd-v1r3.dtd">
                <wctp-Operation wctpVersion="WCTP-DTD-V1R3"><wctp-VersionQuery/></wctp-Operation>
                """)).contains("<wctp-VersionResponse");
    }

    @Test
    void deepNestingGetsAWctpFailureAndTheConnectionServesTheNextSubmission() throws IOException {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        api.enrolledDevice(admin.token(), "COPE", nurse.id());
        String sender = "nursecall-" + System.nanoTime();
        register(admin, sender, List.of("role:*"));
        api.onCallRole(admin.token(), "night-team", nurse.id());

        try (RawHttp connection = RawHttp.connect(port)) {
            // as deep as 64 KB allows (no sign-in needed): the old depth check recursed once per level
            String deepest = "<wctp-Operation>" + "<a>".repeat(9_000) + "</a>".repeat(9_000) + "</wctp-Operation>";
            assertThat(deepest.length()).isLessThan(64 * 1024);
            assertThat(wctp(connection, deepest)).contains("errorCode=\"302\"");
            // refused while streaming, at the first element too deep: the rest is never looked at
            assertThat(wctp(connection, "<wctp-Operation>" + "<a>".repeat(21_000))).contains("errorCode=\"302\"");
            // exactly the allowed depth is fine, one level more is not
            assertThat(wctp(connection, nested(16))).contains("<wctp-VersionResponse");
            assertThat(wctp(connection, nested(17))).contains("errorCode=\"302\"");
            // the same connection then carries a normal submission
            assertThat(wctp(connection, submit(sender, CODE, "role:night-team", "deep-1", "HIGH", "Bed 3")))
                    .contains("<wctp-Success successCode=\"200\"");
        }
        // 100,000 levels cannot fit in 64 KB: refused for its size after reading 64 KB of it
        assertThat(api.wctp("<a>".repeat(100_000) + "</a>".repeat(100_000))).contains("errorCode=\"301\"");
    }

    @Test
    void responseUrlsReachingTheServerItselfOrTheCloudMetadataServiceAreRefused() {
        TestApi.User admin = api.newOrganisation();
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest",
                "http://100.100.100.200/latest", "http://[fe80::1]/wctp", "http://127.0.0.1:8080/wctp",
                "http://localhost/wctp", "http://[::1]/wctp", "http://[::ffff:169.254.169.254]/",
                "http://[64:ff9b::a9fe:a9fe]/", "http://0.0.0.0:8443/wctp", "http://224.0.0.251/wctp",
                "http://255.255.255.255/wctp", "http://nursecall.invalid/wctp")) {
            http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                    .bodyValue(Map.of("senderId", "s-" + System.nanoTime(), "securityCode", CODE,
                            "allowedRecipients", List.of("role:*"), "responseUrls",
                            List.of("https://198.51.100.7/wctp", url)))
                    .exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:response-url-refused");
        }
        // hospitals run paging systems on private networks: those stay allowed
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("senderId", "s-" + System.nanoTime(), "securityCode", CODE,
                        "allowedRecipients", List.of("role:*"), "responseUrls", List.of("http://10.20.30.40/wctp",
                                "https://192.168.1.20:8443/wctp", "http://[fd12:3456::1]/wctp")))
                .exchange().expectStatus().isCreated();
    }

    /** A version query whose document is exactly {@code depth} elements deep (the root counts as 1). */
    private static String nested(int depth) {
        return "<wctp-Operation wctpVersion=\"1.3\"><wctp-VersionQuery/>" + "<x>".repeat(depth - 1)
                + "</x>".repeat(depth - 1) + "</wctp-Operation>";
    }

    private static String wctp(RawHttp connection, String xml) throws IOException {
        RawHttp.Response answer = connection.post("/wctp", "text/xml", xml.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    private static String submit(String sender, String code, String recipient, String messageId, String priority,
            String text) {
        return """
                <?xml version="1.0"?>
                <!DOCTYPE wctp-Operation SYSTEM "http://dtd.wctp.org/wctp-dtd-v1r3.dtd">
                <wctp-Operation wctpVersion="wctp-dtd-v1r3">
                  <wctp-SubmitRequest>
                    <wctp-SubmitHeader submitTimestamp="2026-11-24T08:00:00">
                      <wctp-Originator senderID="%s" securityCode="%s"/>
                      <wctp-MessageControl messageID="%s" deliveryPriority="%s"/>
                      <wctp-Recipient recipientID="%s"/>
                    </wctp-SubmitHeader>
                    <wctp-Payload><wctp-Alphanumeric>%s</wctp-Alphanumeric></wctp-Payload>
                  </wctp-SubmitRequest>
                </wctp-Operation>
                """.formatted(sender, code, messageId, priority, recipient, text);
    }

    private void register(TestApi.User admin, String sender, List<String> allowed) {
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("senderId", sender, "securityCode", CODE, "allowedRecipients", allowed))
                .exchange().expectStatus().isCreated();
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("senderId", sender, "securityCode", CODE, "allowedRecipients", allowed))
                .exchange().expectStatus().isEqualTo(409);
    }

}
