package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;

/** A code-blue drill to everybody with answers, and the roll-up the incident lead watches. */
@WardfleetTest
class BroadcastTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void aDrillReachesEveryoneWithChoicesAndTheRollUpCountsTheAnswers() throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestApi.User a = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User b = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User c = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phoneA = api.enrolledDevice(admin.token(), "COPE", a.id());
        TestDevice phoneB = api.enrolledDevice(admin.token(), "COPE", b.id());
        api.enrolledDevice(admin.token(), "COPE", c.id());

        String id = (String) http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("audience", Map.of("all", true), "text", "DRILL: major incident, report status",
                        "priority", "STAT", "choices", List.of("available", "not available"), "drill", true))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");

        Map<String, Object> content = fetchFirst(phoneA);
        assertThat(content).containsEntry("drill", true).containsEntry("choices", List.of("available",
                "not available"));
        fetchFirst(phoneB);
        receipt(phoneA, id, Map.of("state", "ACKNOWLEDGED", "choice", "available"), 200);
        receipt(phoneB, id, Map.of("state", "ACKNOWLEDGED", "choice", "on holiday"), 409);
        receipt(phoneB, id, Map.of("state", "ACKNOWLEDGED", "choice", "not available"), 200);

        http.get().uri("/api/v1/broadcasts/" + id).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.drill").isEqualTo(true)
                .jsonPath("$.counts.recipients").isEqualTo(3)
                .jsonPath("$.counts.delivered").isEqualTo(2)
                .jsonPath("$.counts.acknowledged").isEqualTo(2)
                .jsonPath("$.choices.available").isEqualTo(1)
                .jsonPath("$['choices']['not available']").isEqualTo(1)
                .jsonPath("$.pending.length()").isEqualTo(1)
                .jsonPath("$.pending[0]").isEqualTo(c.id());

        TestApi.User outsider = api.newOrganisation();
        http.get().uri("/api/v1/broadcasts/" + id).headers(h -> h.setBearerAuth(outsider.token())).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("audience", Map.of("all", true, "groupId", "x"), "text", "x", "priority", "STAT"))
                .exchange().expectStatus().isBadRequest();
    }

    private Map<String, Object> fetchFirst(TestDevice phone) throws Exception {
        Map<?, ?> inbox = http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + phone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        JWEObject jwe = JWEObject.parse((String) ((Map<?, ?>) ((List<?>) inbox.get("messages")).get(0)).get("jwe"));
        jwe.decrypt(new ECDHDecrypter((ECPrivateKey) phone.keys().getPrivate()));
        return jwe.getPayload().toJSONObject();
    }

    private void receipt(TestDevice phone, String id, Map<String, Object> body, int status) {
        api.deviceCall(phone, "POST", "/device/v1/messages/" + id + "/receipts", body).expectStatus()
                .isEqualTo(status);
    }
}
