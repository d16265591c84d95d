package org.wardfleet.device;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.nimbusds.jose.JWSAlgorithm;

/** The device-JWT path (behind a TLS-terminating proxy): only the enrolled key, for this request, once. */
@WardfleetTest
class DeviceAuthenticationTests {

    static final String CHECKIN = "/device/v1/checkin";

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    private WebTestClient.ResponseSpec checkIn(String jwt) {
        return http.post().uri(CHECKIN).header("Authorization", "Device " + jwt)
                .bodyValue(Map.of("osVersion", "15")).exchange();
    }

    private void refused(String jwt, String slug) {
        checkIn(jwt).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:" + slug);
    }

    @Test
    void aProperlySignedTokenChecksInAndTheSameTokenTwiceIsAReplay() {
        TestDevice device = api.enrolledDevice(api.adminToken(), "COPE", null);
        String jwt = device.jwt("POST", CHECKIN);
        checkIn(jwt).expectStatus().isOk().expectBody()
                .jsonPath("$.deviceId").isEqualTo(device.deviceId())
                .jsonPath("$.pendingActions").isArray();
        refused(jwt, "device-token-replayed");
    }

    @Test
    void forgedTokensAreRefused() {
        TestDevice device = api.enrolledDevice(api.adminToken(), "COPE", null);
        TestDevice attacker = TestDevice.p256().enrolledAs(device.deviceId());
        Instant now = Instant.now();
        // signed by another key
        refused(attacker.jwt("POST", CHECKIN), "device-credential-invalid");
        // expired
        refused(device.jwt("POST", CHECKIN, c -> c.issueTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.minusSeconds(300)))), "device-credential-invalid");
        // lives longer than 5 minutes
        refused(device.jwt("POST", CHECKIN, c -> c.expirationTime(Date.from(now.plusSeconds(3600)))),
                "device-credential-invalid");
        // made for another endpoint or method
        refused(device.jwt("POST", "/device/v1/renew"), "device-credential-invalid");
        refused(device.jwt("GET", CHECKIN), "device-credential-invalid");
        // for another server
        refused(device.jwt("POST", CHECKIN, c -> c.audience("https://evil.example")), "device-credential-invalid");
        // claims to be another device
        refused(device.jwt("POST", CHECKIN, c -> c.subject("someone-else")), "device-credential-invalid");
        // algorithm confusion: HMAC "signed" with the device's public key bytes
        refused(hmacWithPublicKey(device), "device-credential-invalid");
    }

    private static String hmacWithPublicKey(TestDevice device) {
        try {
            Instant now = Instant.now();
            var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(device.deviceId())
                    .subject(device.deviceId()).audience(TestDevice.AUDIENCE).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(60))).jwtID(java.util.UUID.randomUUID().toString())
                    .claim("htm", "POST").claim("htu", TestDevice.AUDIENCE + CHECKIN).build();
            var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.HS256)
                    .type(new com.nimbusds.jose.JOSEObjectType("wf-device+jwt")).keyID(device.deviceId()).build(),
                    claims);
            jwt.sign(new com.nimbusds.jose.crypto.MACSigner(device.keys().getPublic().getEncoded()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnsignedAlgNoneTokenIsRefused() {
        TestDevice device = api.enrolledDevice(api.adminToken(), "COPE", null);
        String[] parts = device.jwt("POST", CHECKIN).split("\\.");
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"typ\":\"wf-device+jwt\",\"kid\":\"" + device.deviceId() + "\"}").getBytes());
        refused(header + "." + parts[1] + ".", "device-credential-invalid");
    }

    @Test
    void noCredentialOrAUserTokenIsNotADevice() {
        http.post().uri(CHECKIN).bodyValue(Map.of()).exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType("application/problem+json");
        http.post().uri(CHECKIN).headers(h -> h.setBearerAuth(api.adminToken())).bodyValue(Map.of()).exchange()
                .expectStatus().isUnauthorized();
        refused("not-a-jwt", "device-credential-invalid");
    }

    @Test
    void aRetiredDeviceIsRefusedAtOnceAndToldToRemoveWorkData() {
        String admin = api.adminToken();
        TestDevice device = api.enrolledDevice(admin, "COPE", null);
        checkIn(device.jwt("POST", CHECKIN)).expectStatus().isOk();
        http.post().uri("/api/v1/devices/{id}/actions", device.deviceId()).headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("type", "RETIRE")).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.id").isNotEmpty().jsonPath("$.state").isEqualTo("DONE");
        refused(device.jwt("POST", CHECKIN), "device-retired");
        http.get().uri(u -> u.path("/api/v1/audit").queryParam("action", "device.authenticate").build())
                .headers(h -> h.setBearerAuth(admin)).exchange().expectBody()
                .jsonPath("$.items[?(@.actorId == '" + device.deviceId() + "' && @.details.reason == 'retired')]")
                .exists();
    }
}
