package org.wardfleet.wctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/** IT looks after the sending systems: lists them, changes what they may page, gives them a new security code. */
@WardfleetTest
class WctpSenderAdministrationTests {

    static final String CODE = "nurse-call-security-code-1";

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void sendersAreListedWithoutTheirCodesAndTheirAllowedRecipientsAndResponseUrlsChange() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User security = api.createUser(admin.token(), "SECURITY");
        String sender = register(admin);
        String other = register(admin);

        Map<?, ?> listed = http.get().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(security.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(listed.get("total")).isEqualTo(2);
        assertThat(listed.toString()).doesNotContain(CODE).doesNotContain("hash").doesNotContain("salt");
        assertThat(((List<?>) listed.get("items")).stream().map(i -> (String) ((Map<?, ?>) i).get("senderId")))
                .containsExactlyInAnyOrder(sender, other);

        Map<String, Object> change = Map.of("allowedRecipients", List.of("role:rapid-response"),
                "responseUrls", List.of("http://10.20.30.40/wctp"));
        http.put().uri("/api/v1/wctp/senders/" + sender).headers(h -> h.setBearerAuth(security.token()))
                .bodyValue(change).exchange().expectStatus().isForbidden();
        // the registration's response-URL checks apply to a change too
        http.put().uri("/api/v1/wctp/senders/" + sender).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("allowedRecipients", List.of("role:*"), "responseUrls",
                        List.of("http://169.254.169.254/latest/meta-data/")))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:response-url-refused");
        http.put().uri("/api/v1/wctp/senders/" + sender).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(change).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.allowedRecipients[0]").isEqualTo("role:rapid-response")
                .jsonPath("$.responseUrls[0]").isEqualTo("http://10.20.30.40/wctp");

        // the narrowed sender may no longer page a person directly
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        assertThat(api.wctp(submit(sender, CODE, "user:" + nurse.email()))).contains("errorCode=\"403\"");
    }

    @Test
    void aNewSecurityCodeReplacesTheOldOneAtOnce() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        String sender = register(admin);
        assertThat(api.wctp(submit(sender, CODE, "user:" + nurse.email()))).contains("successCode=\"200\"");

        Map<?, ?> generated = http.post().uri("/api/v1/wctp/senders/" + sender + "/security-code")
                .headers(h -> h.setBearerAuth(admin.token())).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        String code = (String) generated.get("securityCode");
        assertThat(code).hasSizeGreaterThanOrEqualTo(32);
        assertThat(generated.get("securityCodeChangedAt")).isNotNull();
        assertThat(api.wctp(submit(sender, CODE, "user:" + nurse.email()))).contains("errorCode=\"402\"");
        assertThat(api.wctp(submit(sender, code, "user:" + nurse.email()))).contains("successCode=\"200\"");

        // or one the administrator chose: not echoed back
        http.post().uri("/api/v1/wctp/senders/" + sender + "/security-code")
                .headers(h -> h.setBearerAuth(admin.token())).bodyValue(Map.of("securityCode", "short"))
                .exchange().expectStatus().isBadRequest();
        http.post().uri("/api/v1/wctp/senders/" + sender + "/security-code")
                .headers(h -> h.setBearerAuth(admin.token())).bodyValue(Map.of("securityCode", CODE + "-two"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.securityCode").doesNotExist();
        assertThat(api.wctp(submit(sender, CODE + "-two", "user:" + nurse.email()))).contains("successCode=\"200\"");

        TestApi.User elsewhere = api.newOrganisation();
        http.post().uri("/api/v1/wctp/senders/" + sender + "/security-code")
                .headers(h -> h.setBearerAuth(elsewhere.token())).exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/audit?action=wctp.sender.security-code").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectBody().jsonPath("$.total").isEqualTo(2);
    }

    private String register(TestApi.User admin) {
        String sender = "nursecall-" + System.nanoTime();
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("senderId", sender, "securityCode", CODE, "allowedRecipients", List.of("role:*",
                        "user:*")))
                .exchange().expectStatus().isCreated();
        return sender;
    }

    private static String submit(String sender, String code, String recipient) {
        return TestApi.wctpSubmit(sender, code, "m-" + System.nanoTime(), recipient, "Bed 12 call bell");
    }
}
