package org.wardfleet.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/** Policies through the API as IT uses them: baselines out of the box, versions, diff, publish, assignment, merge. */
@WardfleetTest
class PolicyApiTests {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void aFreshOrganisationHasTheThreeBaselinesPublishedAndEnrolledDevicesGetThemByOwnership() {
        TestApi.User admin = api.newOrganisation();
        Map<?, ?> list = get(admin.token(), "/api/v1/policies");
        assertThat(PolicyApiTests.<List<Map<String, Object>>>cast(list.get("items"))).extracting(p -> p.get("name"), p -> p.get(
                "publishedVersion")).containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("byod-clinician", 1),
                org.assertj.core.groups.Tuple.tuple("cope-clinical", 1),
                org.assertj.core.groups.Tuple.tuple("shared-ward-tablet", 1));

        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice byod = api.enrolledDevice(admin.token(), "BYOD", nurse.id());
        Map<?, ?> effective = get(admin.token(), "/api/v1/devices/" + byod.deviceId() + "/effective-policy");
        assertThat(effective.get("policies").toString()).contains("byod-clinician").doesNotContain("cope-clinical");
        Map<String, Object> sources = cast(effective.get("sources"));
        assertThat(((Map<?, ?>) ((Map<?, ?>) sources.get("passcode.minLength")).get("source")).get("policyName"))
                .isEqualTo("byod-clinician");
        assertThat(sources).doesNotContainKey("location.reportingEnabled").doesNotContainKey("restrictions.camera");
        assertThat(sources).containsKey("restrictions.crossProfileClipboardAllowed");

        TestDevice cope = api.enrolledDevice(admin.token(), "COPE", null);
        Map<?, ?> copeSettings = (Map<?, ?>) get(admin.token(), "/api/v1/devices/" + cope.deviceId()
                + "/effective-policy").get("settings");
        assertThat(((Map<?, ?>) copeSettings.get("passcode")).get("minLength")).isEqualTo(8);
        assertThat(((Map<?, ?>) copeSettings.get("integrity")).get("blockCompromised")).isEqualTo(true);
    }

    @Test
    void anInvalidDocumentIsRefusedWithThePathAndLineOfEachMistakeAndNothingIsStored() {
        TestApi.User admin = api.newOrganisation();
        http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token())).contentType(YAML)
                .bodyValue("""
                        apiVersion: wardfleet.org/policy/v1
                        kind: Policy
                        name: typo-policy
                        settings:
                          passcode:
                            minLenght: 8
                          checkIn:
                            intervalMinutes: 1
                        """)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:policy-invalid")
                .jsonPath("$.errors[?(@.path == 'settings.passcode.minLenght')].line").isEqualTo(6)
                .jsonPath("$.errors[?(@.path == 'settings.checkIn.intervalMinutes')].line").isEqualTo(8);
        assertThat(get(admin.token(), "/api/v1/policies").toString()).doesNotContain("typo-policy");
    }

    @Test
    void versionsAreImmutableComparableAndOnlyThePublishedOneCounts() {
        TestApi.User admin = api.newOrganisation();
        Map<?, ?> v1 = submit(admin.token(), policy("theatre-phones", "minLength: 10"), 201);
        String id = (String) v1.get("id");
        assertThat(v1.get("version")).isEqualTo(1);
        // the same document again (other formatting, a comment) is the same version
        assertThat(submit(admin.token(), "# re-applied by CI\n" + policy("theatre-phones", "minLength:   10"), 200)
                .get("version")).isEqualTo(1);
        Map<?, ?> v2 = submit(admin.token(), policy("theatre-phones", "minLength: 12"), 201);
        assertThat(v2.get("id")).isEqualTo(id);
        assertThat(v2.get("version")).isEqualTo(2);

        http.get().uri("/api/v1/policies/" + id + "/diff?from=1&to=2").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.changes.length()").isEqualTo(1)
                .jsonPath("$.changes[0].path").isEqualTo("passcode.minLength")
                .jsonPath("$.changes[0].from").isEqualTo(10)
                .jsonPath("$.changes[0].to").isEqualTo(12);

        http.post().uri("/api/v1/policies/" + id + "/publish").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("version", 1)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.publishedVersion").isEqualTo(1);
        Map<?, ?> detail = get(admin.token(), "/api/v1/policies/" + id);
        assertThat(detail.get("latestVersion")).isEqualTo(2);
        assertThat(detail.get("publishedVersion")).isEqualTo(1);
        assertThat(get(admin.token(), "/api/v1/policies/" + id + "/versions/1").get("source").toString())
                .contains("minLength: 10");

        // a document naming another policy cannot be slipped in as a version of this one
        http.post().uri("/api/v1/policies/" + id + "/versions").headers(h -> h.setBearerAuth(admin.token()))
                .contentType(YAML).bodyValue(policy("other-name", "minLength: 9")).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("urn:wardfleet:problem:policy-name-mismatch");
        // security staff read, never change
        TestApi.User security = api.createUser(admin.token(), "SECURITY");
        assertThat(get(security.token(), "/api/v1/policies/" + id).get("name")).isEqualTo("theatre-phones");
        http.post().uri("/api/v1/policies/" + id + "/publish").headers(h -> h.setBearerAuth(security.token()))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void securityMinimumsTakeTheStrictestValueAndPreferencesTheHighestPriority() {
        TestApi.User admin = api.newOrganisation();
        String icu = publish(admin.token(), """
                apiVersion: wardfleet.org/policy/v1
                kind: Policy
                name: icu-devices
                settings:
                  passcode:
                    minLength: 12
                    autoLockSeconds: 600
                  restrictions:
                    camera: blocked
                  apps:
                    allow: [org.wardfleet.messaging, com.hospital.ehr]
                  location:
                    reportingEnabled: true
                """);
        assign(admin.token(), icu, Map.of("group", "icu", "priority", 10), 201);
        Map<String, Object> body = new java.util.HashMap<>(Map.of("ownership", "COPE", "platform", "android",
                "groups", List.of("icu")));
        TestDevice device = TestDevice.p256();
        api.enroll((String) api.invitation(admin.token(), body).get("secret"), device, "android", Map.of());

        Map<?, ?> effective = get(admin.token(), "/api/v1/devices/" + device.deviceId() + "/effective-policy");
        Map<String, Object> sources = cast(effective.get("sources"));
        assertThat(value(sources, "passcode.minLength")).isEqualTo(12);           // max of 8 and 12
        assertThat(source(sources, "passcode.minLength")).isEqualTo("icu-devices");
        assertThat(value(sources, "passcode.autoLockSeconds")).isEqualTo(120);    // min of 120 and 600
        assertThat(source(sources, "passcode.autoLockSeconds")).isEqualTo("cope-clinical");
        assertThat(value(sources, "restrictions.camera")).isEqualTo("blocked");   // strictest
        assertThat(value(sources, "location.reportingEnabled")).isEqualTo(true);  // priority 10 beats 0
        assertThat(value(sources, "apps.allow")).isEqualTo(List.of("org.wardfleet.messaging", "com.hospital.ehr"));

        // the same policy on a personal phone: location is never sent to BYOD
        assign(admin.token(), icu, Map.of("ownership", "BYOD", "priority", 10), 201);
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice byod = api.enrolledDevice(admin.token(), "BYOD", nurse.id());
        Map<?, ?> byodPolicy = get(admin.token(), "/api/v1/devices/" + byod.deviceId() + "/effective-policy");
        assertThat(PolicyApiTests.<Map<String, Object>>cast(byodPolicy.get("sources"))).doesNotContainKey("location.reportingEnabled")
                .doesNotContainKey("restrictions.camera");
        assertThat(byodPolicy.get("excluded").toString()).contains("location.reportingEnabled")
                .contains("not allowed for BYOD devices");

        // an assignment names exactly one target; the same target twice is a conflict
        assign(admin.token(), icu, Map.of("group", "icu", "ownership", "COPE"), 400);
        assign(admin.token(), icu, Map.of("group", "icu"), 409);
        assign(admin.token(), icu, Map.of("platform", "blackberry"), 400);
    }

    @Test
    void rolloutCountsFollowWhatTwoHundredDevicesDidAndNothingCountsAsNotifiedWithoutAChannel() {
        TestApi.User admin = api.newOrganisation();
        get(admin.token(), "/api/v1/policies"); // baselines first
        String secret = (String) api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android",
                "maxUses", 240)).get("secret");
        List<TestDevice> devices = new java.util.ArrayList<>();
        for (int i = 0; i < 240; i++) {
            TestDevice d = TestDevice.p256();
            api.enroll(secret, d, "android", Map.of());
            devices.add(d);
        }
        String policyId = publish(admin.token(), policy("fleet-wide", "minLength: 9"));
        assign(admin.token(), policyId, Map.of("ownership", "COPE", "priority", 1), 201);
        for (int i = 0; i < 240; i++) {
            TestDevice d = devices.get(i);
            if (i % 3 == 2) {
                continue; // never heard from
            }
            Map<?, ?> claims = claims(api.deviceCall(d, "GET", "/device/v1/policy", null).expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody());
            if (i % 6 == 1) {
                continue; // fetched, has not reported yet
            }
            api.deviceCall(d, "POST", "/device/v1/policy/status", Map.of("version", claims.get("ver"), "results",
                    List.of(Map.of("setting", "passcode.minLength", "status", i % 6 == 0 ? "APPLIED" : "FAILED",
                            "reason", "test")))).expectStatus().isAccepted();
        }
        // i%3==2: 80 silent (FCM is off here and no stream: pending, never "notified");
        // i%6==1: 40 fetched only; i%6==0: 40 applied; i%6==3 or 4: 80 failed
        Map<?, ?> rollout = get(admin.token(), "/api/v1/policies/" + policyId + "/rollout");
        Map<?, ?> counts = (Map<?, ?>) rollout.get("counts");
        assertThat(rollout.get("devices")).isEqualTo(240);
        assertThat(counts.get("pending")).isEqualTo(80);
        assertThat(counts.get("notified")).isEqualTo(0);
        assertThat(counts.get("fetched")).isEqualTo(40);
        assertThat(counts.get("applied")).isEqualTo(40);
        assertThat(counts.get("failed")).isEqualTo(80);
        assertThat((List<?>) rollout.get("failures")).hasSize(80);
        // health tells operators that FCM is off here
        http.get().uri("/actuator/health").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.components.push.details.fcm").isEqualTo("off");
    }

    private static Map<?, ?> claims(String jws) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jws.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return tools.jackson.databind.json.JsonMapper.builder().build().readValue(payload, Map.class);
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) {
        return (T) o;
    }

    private Object value(Map<?, ?> sources, String path) {
        return ((Map<?, ?>) sources.get(path)).get("value");
    }

    private Object source(Map<?, ?> sources, String path) {
        return ((Map<?, ?>) ((Map<?, ?>) sources.get(path)).get("source")).get("policyName");
    }

    static String policy(String name, String passcodeLine) {
        return """
                apiVersion: wardfleet.org/policy/v1
                kind: Policy
                name: %s
                settings:
                  passcode:
                    %s
                """.formatted(name, passcodeLine);
    }

    private Map<?, ?> submit(String token, String yaml, int status) {
        return http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(token)).contentType(YAML)
                .bodyValue(yaml).exchange().expectStatus().isEqualTo(status)
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    String publish(String token, String yaml) {
        String id = (String) submit(token, yaml, 201).get("id");
        http.post().uri("/api/v1/policies/" + id + "/publish").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk();
        return id;
    }

    private void assign(String token, String policyId, Map<String, Object> body, int status) {
        http.post().uri("/api/v1/policies/" + policyId + "/assignments").headers(h -> h.setBearerAuth(token))
                .bodyValue(body).exchange().expectStatus().isEqualTo(status);
    }

    private Map<?, ?> get(String token, String path) {
        return http.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }
}
