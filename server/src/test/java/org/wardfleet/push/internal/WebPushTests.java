package org.wardfleet.push.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.json.JsonMapper;

/**
 * Web Push end to end against a push service on loopback speaking RFC 8030: it checks the VAPID JWT (RFC 8292)
 * against the key the server hands browsers and decrypts the aes128gcm body (RFC 8291) with the private key and auth
 * secret of a "browser" made here. Also: subscription input checks, per-person limits and isolation.
 */
@WardfleetTest
@TestPropertySource(properties = {"wardfleet.push.web.allow-loopback-endpoints=true",
    "wardfleet.push.web.max-subscriptions-per-user=3"})
class WebPushTests {

    private static HttpServer pushService;
    private static final List<Received> received = new CopyOnWriteArrayList<>();

    record Received(String path, Map<String, String> headers, byte[] body) {
    }

    @Autowired TestApi api;
    @Autowired WebTestClient http;
    @Autowired WebPushSubscriptions subscriptions;

    @BeforeAll
    static void startPushService() throws Exception {
        pushService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pushService.createContext("/", exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, headers, body));
            boolean ok = "POST".equals(exchange.getRequestMethod());
            // RFC 8030 5: 201 Created with the message's location; 410 Gone for an expired subscription
            int status = !ok ? 405 : path.contains("/gone/") ? 410 : 201;
            if (status == 201) {
                exchange.getResponseHeaders().add("Location", "/message/" + UUID.randomUUID());
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        pushService.start();
    }

    @AfterAll
    static void stopPushService() {
        pushService.stop(0);
    }

    /** A browser's side of a subscription: its P-256 key pair and auth secret. */
    record Browser(KeyPair keys, byte[] auth, String endpoint) {

        static Browser at(String path) throws GeneralSecurityException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] auth = new byte[16];
            new SecureRandom().nextBytes(auth);
            return new Browser(generator.generateKeyPair(), auth,
                    "http://127.0.0.1:" + pushService.getAddress().getPort() + path + UUID.randomUUID());
        }

        byte[] publicPoint() {
            return WebPushCrypto.uncompressed((ECPublicKey) keys.getPublic());
        }

        Map<String, Object> subscription() {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return Map.of("endpoint", endpoint, "keys", Map.of("p256dh", b64.encodeToString(publicPoint()),
                    "auth", b64.encodeToString(auth)));
        }

        /** RFC 8291 decryption, as a browser does it. */
        byte[] decrypt(byte[] body) throws GeneralSecurityException {
            ByteBuffer in = ByteBuffer.wrap(body);
            byte[] salt = new byte[16];
            in.get(salt);
            int recordSize = in.getInt();
            byte[] asPublic = new byte[in.get() & 0xff];
            in.get(asPublic);
            byte[] ciphertext = new byte[in.remaining()];
            in.get(ciphertext);
            assertThat(recordSize).isGreaterThanOrEqualTo(18);
            assertThat(asPublic).hasSize(65);
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(keys.getPrivate());
            agreement.doPhase(point(asPublic), true);
            byte[] ecdh = agreement.generateSecret();
            byte[] info = ByteBuffer.allocate(14 + 65 + 65).put("WebPush: info\0".getBytes(StandardCharsets.US_ASCII))
                    .put(publicPoint()).put(asPublic).array();
            byte[] ikm = expand(hmac(auth, ecdh), info, 32);
            byte[] prk = hmac(salt, ikm);
            byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
            byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            byte[] padded = cipher.doFinal(ciphertext);
            int end = padded.length - 1;
            while (end >= 0 && padded[end] == 0) {
                end--;
            }
            assertThat(padded[end]).as("last-record delimiter").isEqualTo((byte) 2);
            return Arrays.copyOf(padded, end);
        }

        private static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
            byte[] t = ByteBuffer.allocate(info.length + 1).put(info).put((byte) 1).array();
            return Arrays.copyOf(hmac(prk, t), length);
        }

        private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        }
    }

    static ECPublicKey point(byte[] uncompressed) throws GeneralSecurityException {
        var params = ((ECPublicKey) KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic()).getParams();
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65))), params));
    }

    private String subscribe(TestApi.User user, Browser browser) {
        return (String) http.post().uri("/api/v1/me/web-push/subscriptions")
                .headers(h -> h.setBearerAuth(user.token())).bodyValue(browser.subscription())
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private String vapidKey(TestApi.User user) {
        return (String) http.get().uri("/api/v1/me/web-push/key").headers(h -> h.setBearerAuth(user.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("publicKey");
    }

    private String page(TestApi.User from, TestApi.User to, String text, String priority) {
        String conversation = (String) http.post().uri("/api/v1/conversations")
                .headers(h -> h.setBearerAuth(from.token())).bodyValue(Map.of("participants", List.of(to.id())))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        return (String) http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(from.token())).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("text", text, "priority", priority, "requiresAck", true))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private List<Received> to(Browser browser) {
        String path = java.net.URI.create(browser.endpoint()).getPath();
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void aStatPageNotifiesTheClinicianBrowserWithThePriorityAndNoMessageText() throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User bystander = api.createUser(admin.token(), "CLINICIAN");
        Browser nursesBrowser = Browser.at("/push/");
        Browser bystandersBrowser = Browser.at("/push/");
        subscribe(nurse, nursesBrowser);
        subscribe(bystander, bystandersBrowser);
        String served = vapidKey(nurse);

        String messageId = page(doctor, nurse, "Mr Smith bed 7 hypotensive", "STAT");

        await().atMost(Duration.ofSeconds(60)).until(() -> !to(nursesBrowser).isEmpty());
        Received push = to(nursesBrowser).get(0);
        assertThat(push.headers()).containsEntry("content-encoding", "aes128gcm").containsEntry("urgency", "high")
                .containsKey("ttl");
        assertThat(Long.parseLong(push.headers().get("ttl"))).isPositive();
        // RFC 8292: vapid t=<ES256 JWT for this origin>, k=<the key browsers subscribed with>
        String authorization = push.headers().get("authorization");
        assertThat(authorization).startsWith("vapid t=").contains(", k=" + served);
        SignedJWT jwt = SignedJWT.parse(authorization.substring("vapid t=".length(), authorization.indexOf(',')));
        assertThat(jwt.verify(new ECDSAVerifier(point(Base64.getUrlDecoder().decode(served))))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getAudience())
                .containsExactly("http://127.0.0.1:" + pushService.getAddress().getPort());
        assertThat(jwt.getPayload().toJSONObject().get("aud")).as("one audience, as a string").isInstanceOf(String.class);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isInTheFuture()
                .isBefore(new java.util.Date(System.currentTimeMillis() + Duration.ofHours(24).toMillis()));
        assertThat(jwt.getJWTClaimsSet().getSubject()).isNotBlank();

        byte[] plaintext = nursesBrowser.decrypt(push.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = JsonMapper.builder().build().readValue(plaintext, Map.class);
        assertThat(payload).containsEntry("priority", "STAT").containsEntry("id", messageId)
                .containsEntry("text", "Open Wardfleet");
        assertThat(new String(plaintext, StandardCharsets.UTF_8)).doesNotContain("Smith").doesNotContain("bed 7");
        assertThat(to(nursesBrowser)).hasSize(1);
        assertThat(to(bystandersBrowser)).as("only the recipient's browsers").isEmpty();
    }

    @Test
    void aSubscriptionThePushServiceCallsGoneIsDeleted() throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        Browser expired = Browser.at("/gone/");
        subscribe(nurse, expired);
        assertThat(subscriptions.count(orgOf(nurse), nurse.id()).block()).isEqualTo(1);

        page(doctor, nurse, "Resus bay 2 now", "STAT");

        await().atMost(Duration.ofSeconds(60)).until(() -> !to(expired).isEmpty()
                && subscriptions.forUsers(orgOf(nurse), List.of(nurse.id())).collectList().block().isEmpty());
    }

    @Test
    void badSubscriptionsAreRefusedWithAProblem() throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        Browser browser = Browser.at("/push/");
        Map<String, Object> good = browser.subscription();
        Map<?, ?> keys = (Map<?, ?>) good.get("keys");
        byte[] offCurve = browser.publicPoint();
        offCurve[64] ^= 1;
        List<Map<String, Object>> bad = List.of(
                Map.of("endpoint", "http://push.example.com/x", "keys", keys),
                Map.of("endpoint", "ftp://push.example.com/x", "keys", keys),
                Map.of("endpoint", "https://push.example.com/" + "a".repeat(1100), "keys", keys),
                Map.of("endpoint", "https://push.example.com/x", "keys", Map.of("p256dh",
                        Base64.getUrlEncoder().withoutPadding().encodeToString(offCurve), "auth", keys.get("auth"))),
                Map.of("endpoint", "https://push.example.com/x", "keys", Map.of("p256dh", keys.get("p256dh"),
                        "auth", "c2hvcnQ")));
        for (Map<String, Object> body : bad) {
            http.post().uri("/api/v1/me/web-push/subscriptions").headers(h -> h.setBearerAuth(nurse.token()))
                    .bodyValue(body).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:web-push-subscription-invalid");
        }
    }

    @Test
    void aPersonHasAtMostTheConfiguredNumberOfSubscribedBrowsers() throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        Browser first = Browser.at("/push/");
        subscribe(nurse, first);
        subscribe(nurse, first); // the same browser again replaces, does not count twice
        subscribe(nurse, Browser.at("/push/"));
        subscribe(nurse, Browser.at("/push/"));
        http.post().uri("/api/v1/me/web-push/subscriptions").headers(h -> h.setBearerAuth(nurse.token()))
                .bodyValue(Browser.at("/push/").subscription()).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:web-push-subscription-limit");
    }

    @Test
    void nobodyElseCanRemoveAPersonsSubscriptionAndItsOwnerCan() throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User colleague = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User otherAdmin = api.newOrganisation();
        String id = subscribe(nurse, Browser.at("/push/"));
        for (TestApi.User other : List.of(colleague, admin, otherAdmin)) {
            http.delete().uri("/api/v1/me/web-push/subscriptions/" + id).headers(h -> h.setBearerAuth(other.token()))
                    .exchange().expectStatus().isNotFound();
        }
        http.delete().uri("/api/v1/me/web-push/subscriptions/" + id).headers(h -> h.setBearerAuth(nurse.token()))
                .exchange().expectStatus().isNoContent();
        http.delete().uri("/api/v1/me/web-push/subscriptions/" + id).headers(h -> h.setBearerAuth(nurse.token()))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void theServiceWorkerIsServedToAnyoneAsAScriptUnderTheAppScope() {
        // the browser fetches it again in the background, perhaps after the session ended
        http.get().uri("/app/sw.js").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/javascript")
                .expectBody(String.class).value(js -> assertThat(js).contains("showNotification")
                        .contains("'Open Wardfleet'").doesNotContain("innerHTML"));
    }

    private String orgOf(TestApi.User user) {
        return (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(user.token())).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("orgId");
    }
}
