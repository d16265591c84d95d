package org.wardfleet.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.identity.Tenants;

/** Signs in and creates users and organisations through the public API, as a script would. */
@TestComponent
public class TestApi {

    public static final String ADMIN_EMAIL = "admin@test.local";
    public static final String ADMIN_PASSWORD = "test-admin-password-1";

    private final WebTestClient http;
    private final Tenants tenants;
    /** Users this API made, by id: a device enrolled for one of them is bound with their own session. */
    private final java.util.Map<String, User> made = new java.util.concurrent.ConcurrentHashMap<>();

    TestApi(WebTestClient http, Tenants tenants) {
        this.http = http;
        this.tenants = tenants;
    }

    /** The API of a server started by a test itself ({@link RunningServer}), e.g. one of two instances. */
    public static TestApi of(RunningServer server) {
        return new TestApi(server.http(), server.bean(Tenants.class));
    }

    /** The API of this test's server reached through {@code http} (e.g. over TLS, which the default client is not). */
    public static TestApi of(WebTestClient http, Tenants tenants) {
        return new TestApi(http, tenants);
    }

    public WebTestClient http() {
        return http;
    }

    public String token(String email, String password) {
        Map<?, ?> body = http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", email, "password", password))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("access_token");
    }

    public String adminToken() {
        return token(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** A user in the admin's organisation; returns its id. */
    public User createUser(String adminToken, String role) {
        return createUser(adminToken, role, "Test " + role);
    }

    /** A user with a display name of their own (what lists and timelines show next to ids). */
    public User createUser(String adminToken, String role, String displayName) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@test.local";
        String password = "pw-" + UUID.randomUUID();
        Map<?, ?> body = http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(adminToken))
                .bodyValue(Map.of("email", email, "displayName", displayName, "roles", List.of(role),
                        "password", password))
                .exchange().expectStatus().isEqualTo(HttpStatus.CREATED)
                .expectBody(Map.class).returnResult().getResponseBody();
        return remember(new User((String) body.get("id"), email, password, token(email, password)));
    }

    private User remember(User user) {
        made.put(user.id(), user);
        return user;
    }

    /** A separate organisation with its own administrator. */
    public User newOrganisation() {
        String email = "admin-" + UUID.randomUUID() + "@other.test";
        String password = "pw-" + UUID.randomUUID();
        Tenants.NewTenant tenant = tenants.create("Other Hospital", email, password).block();
        return remember(new User(tenant.adminUserId(), email, password, token(email, password)));
    }

    public record User(String id, String email, String password, String token) {
    }

    /** A new invitation's fixed-shape answer (id, secret, enrollmentUrl, qrCodeUrl, expiresAt, ...). */
    public Map<?, ?> invitation(String adminToken, Map<String, Object> body) {
        return http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(adminToken))
                .bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    /**
     * Enrolls {@code device} with an invitation secret through the JSON API, nobody signed in on it (so not bound to
     * its user: no messages until they approve it); returns the response.
     */
    public Map<?, ?> enroll(String secret, TestDevice device, String platform, Map<String, Object> extra) {
        return enroll(secret, device, platform, extra, null);
    }

    /** As above with {@code userToken} — the invitation's user signed in on the device — which binds it to them. */
    public Map<?, ?> enroll(String secret, TestDevice device, String platform, Map<String, Object> extra,
            String userToken) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("token", secret, "csr", device.csrPem(),
                "platform", platform, "model", "Pixel 8", "osVersion", "15", "securityPatchLevel", "2026-10-05",
                "appVersion", "1.0.0"));
        body.putAll(extra);
        Map<?, ?> response = http.post().uri("/device/v1/enroll")
                .headers(h -> {
                    if (userToken != null) {
                        h.setBearerAuth(userToken);
                    }
                })
                .bodyValue(body).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        device.enrolledAs((String) response.get("deviceId"));
        return response;
    }

    /**
     * An enrolled device of a new COPE/BYOD/SHARED invitation in the admin's organisation. When its user is one this
     * API made, the user approves it from their own session, as a person would, so it receives their messages.
     */
    public TestDevice enrolledDevice(String adminToken, String ownership, String assignedUserId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("ownership", ownership, "platform", "android"));
        if (assignedUserId != null) {
            body.put("assignedUserId", assignedUserId);
        }
        Map<?, ?> invitation = invitation(adminToken, body);
        TestDevice device = TestDevice.p256();
        enroll((String) invitation.get("secret"), device, "android", Map.of());
        User user = assignedUserId == null ? null : made.get(assignedUserId);
        if (user != null) {
            approve(user, device.deviceId());
        }
        return device;
    }

    /** {@code user} binds their device from their own session: from now on it receives their messages. */
    public void approve(User user, String deviceId) {
        http.post().uri("/api/v1/me/devices/{id}/approve", deviceId).headers(h -> h.setBearerAuth(user.token()))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.boundToUser").isEqualTo(true);
    }

    /** A device-authenticated request (device JWT, like the SDK behind a TLS-terminating proxy). */
    public WebTestClient.ResponseSpec deviceCall(TestDevice device, String method, String path, Object body) {
        String jwt = device.jwt(method, path);
        var spec = http.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .header("Authorization", "Device " + jwt);
        return body == null ? spec.exchange() : spec.bodyValue(body).exchange();
    }

    /** An on-call role with one participant on call from yesterday, a day at a time (UTC); returns its id. */
    public String onCallRole(String adminToken, String name, String userId) {
        String start = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1) + "T00:00";
        return (String) http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(adminToken))
                .bodyValue(Map.of("name", name, "timeZone", "UTC", "rota", Map.of("participants", List.of(userId),
                        "start", start, "shift", "P1D")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    /** A WCTP 1.3 submission, at HIGH priority, of {@code text} to {@code recipient}. */
    public static String wctpSubmit(String sender, String code, String messageId, String recipient, String text) {
        return """
                <?xml version="1.0"?>
                <wctp-Operation wctpVersion="wctp-dtd-v1r3">
                  <wctp-SubmitRequest>
                    <wctp-SubmitHeader submitTimestamp="2026-11-24T08:00:00">
                      <wctp-Originator senderID="%s" securityCode="%s"/>
                      <wctp-MessageControl messageID="%s" deliveryPriority="HIGH"/>
                      <wctp-Recipient recipientID="%s"/>
                    </wctp-SubmitHeader>
                    <wctp-Payload><wctp-Alphanumeric>%s</wctp-Alphanumeric></wctp-Payload>
                  </wctp-SubmitRequest>
                </wctp-Operation>
                """.formatted(sender, code, messageId, recipient, text);
    }

    /** A WCTP operation posted to {@code /wctp}; WCTP always answers HTTP 200, so the body is the answer. */
    public String wctp(String xml) {
        return http.post().uri("/wctp").contentType(org.springframework.http.MediaType.TEXT_XML).bodyValue(xml)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }
}
