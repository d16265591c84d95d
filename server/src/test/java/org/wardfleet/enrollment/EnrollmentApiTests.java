package org.wardfleet.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@WardfleetTest
class EnrollmentApiTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired MongoDatabase db;

    @Test
    void invitationShowsItsSecretOnceWithAScannableQrCodeAndStoresOnlyAHash() throws Exception {
        String admin = api.adminToken();
        Map<?, ?> invitation = api.invitation(admin, Map.of("ownership", "COPE", "platform", "android", "maxUses", 1));
        assertThat(invitation.keySet().stream().map(Object::toString))
                .contains("id", "secret", "enrollmentUrl", "qrCodeUrl", "expiresAt");
        String secret = (String) invitation.get("secret");
        String url = (String) invitation.get("enrollmentUrl");
        assertThat(url).startsWith("https://localhost:8443/enroll#token=").endsWith(secret);

        String qr = (String) invitation.get("qrCodeUrl");
        assertThat(qr).startsWith("data:image/png;base64,");
        var image = javax.imageio.ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(qr.substring(qr.indexOf(',') + 1))));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        // the server's image is a clean, unrotated rendering: read it as one (PURE_BARCODE). Without the hint the
        // detector samples it like a camera picture and, for some random secrets, lands between modules: 4 of 1,000
        // fresh links failed with a checksum error though the image was perfect; 0 of 1,000 with the hint
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))),
                java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        assertThat(decoded).isEqualTo(url);

        Document stored = Mono.from(db.getCollection("invitations")
                .find(Filters.eq("_id", invitation.get("id"))).first()).block();
        assertThat(stored.toJson()).doesNotContain(secret);
        http.get().uri("/api/v1/enrollment/invitations/{id}", invitation.get("id"))
                .headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.secret").doesNotExist().jsonPath("$.state").isEqualTo("OPEN");
    }

    @Test
    void enrollmentReturnsADeviceCertificateBoundToTheDeviceKeyWithServerChosenSubject() throws Exception {
        String admin = api.adminToken();
        Map<?, ?> invitation = api.invitation(admin, Map.of("ownership", "COPE", "platform", "android"));
        TestDevice device = TestDevice.p256();
        Map<?, ?> enrolled = api.enroll((String) invitation.get("secret"), device, "android", Map.of());
        assertThat(enrolled.keySet().stream().map(Object::toString))
                .contains("deviceId", "certificateChain", "endpoints", "policyJwksUrl");
        List<X509Certificate> chain = parse((String) enrolled.get("certificateChain"));
        assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(device.keys().getPublic());
        assertThat(leaf.getSubjectX500Principal().getName()).doesNotContain("Evil").doesNotContain("CA admin");
        assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()))
                .contains("urn:wardfleet:device:" + enrolled.get("deviceId"));
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        leaf.verify(chain.get(1).getPublicKey());

        http.get().uri("/api/v1/devices/{id}", enrolled.get("deviceId")).headers(h -> h.setBearerAuth(admin))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.device.state").isEqualTo("ACTIVE")
                .jsonPath("$.device.ownership").isEqualTo("COPE")
                .jsonPath("$.device.certificateSerial").isEqualTo(leaf.getSerialNumber().toString(16))
                .jsonPath("$.timeline[0].type").isEqualTo("enrolled");
    }

    @Test
    void wrongExpiredAndUsedTokensAreRefusedAndAudited() {
        String admin = api.adminToken();
        TestDevice device = TestDevice.p256();
        http.post().uri("/device/v1/enroll").bodyValue(Map.of("token", "wfe_not-a-real-secret", "csr",
                        device.csrPem(), "platform", "android")).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:invalid-invitation");

        Map<?, ?> once = api.invitation(admin, Map.of("ownership", "COPE", "platform", "android"));
        api.enroll((String) once.get("secret"), TestDevice.p256(), "android", Map.of());
        http.post().uri("/device/v1/enroll").bodyValue(Map.of("token", once.get("secret"), "csr", device.csrPem(),
                        "platform", "android")).exchange()
                .expectStatus().isEqualTo(410)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:invitation-used");

        Map<?, ?> revoked = api.invitation(admin, Map.of("ownership", "COPE", "platform", "android"));
        http.post().uri("/api/v1/enrollment/invitations/{id}/revoke", revoked.get("id"))
                .headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isOk();
        http.post().uri("/device/v1/enroll").bodyValue(Map.of("token", revoked.get("secret"), "csr", device.csrPem(),
                        "platform", "android")).exchange()
                .expectStatus().isEqualTo(410)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:invitation-revoked");

        http.get().uri(u -> u.path("/api/v1/audit").queryParam("action", "device.enroll").build())
                .headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[?(@.outcome == 'DENIED' && @.details.reason == 'used')]").exists()
                .jsonPath("$.items[?(@.outcome == 'DENIED' && @.details.reason == 'revoked')]").exists()
                .jsonPath("$.items[?(@.outcome == 'SUCCESS')]").exists();
    }

    @Test
    void twoPhonesRacingForASingleUseInvitationYieldExactlyOneDevice() {
        String admin = api.adminToken();
        Map<?, ?> invitation = api.invitation(admin, Map.of("ownership", "COPE", "platform", "android"));
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Flux.range(0, 8).flatMap(i -> Mono.fromCallable(() -> http.post().uri("/device/v1/enroll")
                        .bodyValue(Map.of("token", invitation.get("secret"), "csr", TestDevice.p256().csrPem(),
                                "platform", "android"))
                        .exchange().returnResult(String.class).getStatus().value())
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 8)
                .doOnNext(statuses::add).blockLast();
        assertThat(statuses).containsOnly(201, 410);
        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        Long devices = Mono.from(db.getCollection("devices").countDocuments(
                Filters.eq("invitationId", invitation.get("id")))).block();
        assertThat(devices).isEqualTo(1L);
    }

    @Test
    void aMalformedOrWeakCsrIsRefusedAndTheInvitationStaysUsable() {
        String admin = api.adminToken();
        Map<?, ?> invitation = api.invitation(admin, Map.of("ownership", "COPE", "platform", "android"));
        http.post().uri("/device/v1/enroll").bodyValue(Map.of("token", invitation.get("secret"), "csr",
                        "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----",
                        "platform", "android")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:malformed-csr");
        http.post().uri("/device/v1/enroll").bodyValue(Map.of("token", invitation.get("secret"), "csr",
                        TestDevice.rsa(1024).csrPem(), "platform", "android")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:weak-key");
        // nothing already accepted is lost: the single use is still there
        api.enroll((String) invitation.get("secret"), TestDevice.p256(), "android", Map.of());
    }

    @Test
    void anOversizedCsrIsRefusedBeforeAnyWork() {
        String huge = "A".repeat(20_000);
        http.post().uri("/device/v1/enroll").bodyValue(Map.of("token", "wfe_x", "csr", huge, "platform", "android"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:validation-failed")
                .jsonPath("$.errors[0].path").isEqualTo("csr");
    }

    @Test
    void aByodDeviceKeepsNoPersonalIdentifiersWhateverItSends() {
        String admin = api.adminToken();
        TestApi.User owner = api.createUser(admin, "CLINICIAN");
        Map<?, ?> invitation = api.invitation(admin, Map.of("ownership", "BYOD", "platform", "android",
                "assignedUserId", owner.id()));
        TestDevice device = TestDevice.p256();
        Map<?, ?> enrolled = api.enroll((String) invitation.get("secret"), device, "android", Map.of(
                "imei", "356938035643809", "serialNumber", "SN-PERSONAL-1", "phoneNumber", "+447700900123",
                "installedApps", List.of("com.dating.app", "com.bank.app"),
                "location", Map.of("lat", 51.5, "lon", -0.12)));
        Document stored = Mono.from(db.getCollection("devices")
                .find(Filters.eq("_id", enrolled.get("deviceId"))).first()).block();
        String json = stored.toJson();
        assertThat(json).doesNotContain("356938035643809", "SN-PERSONAL-1", "+447700900123", "com.dating.app",
                "51.5", "hardware");
        assertThat(stored.getString("assignedUserId")).isEqualTo(owner.id());

        // the same fields are kept for a hospital-owned phone (serial and IMEI only)
        Map<?, ?> cope = api.invitation(admin, Map.of("ownership", "COPE", "platform", "android"));
        Map<?, ?> copeDevice = api.enroll((String) cope.get("secret"), TestDevice.p256(), "android", Map.of(
                "imei", "356938035643809", "serialNumber", "SN-HOSPITAL-1", "phoneNumber", "+447700900123"));
        Document copeStored = Mono.from(db.getCollection("devices")
                .find(Filters.eq("_id", copeDevice.get("deviceId"))).first()).block();
        assertThat(copeStored.toJson()).contains("SN-HOSPITAL-1", "356938035643809").doesNotContain("+447700900123");
    }

    @Test
    void invitationAssignmentRulesFollowTheOwnershipModel() {
        String admin = api.adminToken();
        http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("ownership", "BYOD", "platform", "ios")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:invitation-assignment-invalid");
        TestApi.User user = api.createUser(admin, "CLINICIAN");
        http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("ownership", "SHARED", "platform", "ios", "assignedUserId", user.id())).exchange()
                .expectStatus().isBadRequest();
        TestApi.User other = api.newOrganisation();
        http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("ownership", "BYOD", "platform", "ios", "assignedUserId", other.id())).exchange()
                .expectStatus().isBadRequest();
        http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(user.token()))
                .bodyValue(Map.of("ownership", "SHARED", "platform", "ios")).exchange()
                .expectStatus().isForbidden();
        http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("ownership", "COPE", "platform", "blackberry")).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void aDeviceOfTheWrongPlatformCannotUseTheInvitation() {
        String admin = api.adminToken();
        Map<?, ?> invitation = api.invitation(admin, Map.of("ownership", "SHARED", "platform", "ios"));
        http.post().uri("/device/v1/enroll").bodyValue(Map.of("token", invitation.get("secret"), "csr",
                        TestDevice.p256().csrPem(), "platform", "android")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:platform-mismatch");
    }

    static List<X509Certificate> parse(String pem) throws Exception {
        List<X509Certificate> certs = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(pem.getBytes()))) {
            certs.add((X509Certificate) c);
        }
        return certs;
    }
}
