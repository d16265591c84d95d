package org.wardfleet.sdk;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import tools.jackson.databind.JsonNode;

/**
 * Enrollment: with the invitation secret through {@code POST /device/v1/enroll} (what the app does after scanning
 * the QR code), or through EST (RFC 7030) with the invitation id and secret as HTTP Basic credentials.
 */
public final class EnrollmentClient {

    private final Http http;

    /** {@code ssl} may be null (the platform's default trust). */
    public EnrollmentClient(String serverUrl, SSLContext ssl) {
        this.http = new Http(serverUrl, ssl);
    }

    /** What the device reports about itself at enrollment. */
    public record DeviceInfo(String platform, String model, String osVersion, String securityPatchLevel,
            String appVersion) {
    }

    /**
     * Enrolls without anyone signed in: the device gets policies, but the messages of the person it is assigned to
     * only after that person approves it from a session of theirs ({@code POST /api/v1/me/devices/{id}/approve}).
     */
    public EnrolledDevice enroll(String secret, DeviceKeyStore keys, DeviceInfo info) {
        return enroll(secret, keys, info, null);
    }

    /**
     * Enrolls with the person the invitation is for signed in on the device ({@code userAccessToken}: their access
     * token, from {@code POST /api/v1/auth/token} or the hospital's identity provider): the device is bound to them at
     * once and receives their messages. Someone else's token is refused ({@code enrollment-user-mismatch}).
     */
    public EnrolledDevice enroll(String secret, DeviceKeyStore keys, DeviceInfo info, String userAccessToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", secret);
        body.put("csr", Csr.of(keys).pem());
        body.put("platform", info.platform());
        body.put("model", info.model());
        body.put("osVersion", info.osVersion());
        body.put("securityPatchLevel", info.securityPatchLevel());
        body.put("appVersion", info.appVersion());
        JsonNode answer = http.postJson("/device/v1/enroll", body,
                userAccessToken == null ? Map.of() : Map.of("Authorization", "Bearer " + userAccessToken));
        Map<String, String> endpoints = new LinkedHashMap<>();
        answer.path("endpoints").properties().forEach(e -> endpoints.put(e.getKey(), e.getValue().asString()));
        return new EnrolledDevice(answer.path("deviceId").asString(),
                Certificates.fromPem(answer.path("certificateChain").asString()), endpoints,
                answer.path("policyJwksUrl").asString(null), keys);
    }

    /** EST simpleenroll; the chain is completed with the CA certificates from {@code /cacerts}. */
    public EnrolledDevice estEnroll(String invitationId, String secret, DeviceKeyStore keys) {
        String basic = Base64.getEncoder().encodeToString((invitationId + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
        String answer = http.send("POST", "/.well-known/est/simpleenroll", "application/pkcs10",
                Csr.of(keys).base64Der(), Map.of("Authorization", "Basic " + basic,
                        "Content-Transfer-Encoding", "base64"));
        List<X509Certificate> chain = new ArrayList<>(Certificates.fromPkcs7Base64(answer));
        chain.addAll(caCertificates());
        X509Certificate leaf = chain.get(0);
        return new EnrolledDevice(DeviceIds.of(leaf), chain, Map.of(), null, keys);
    }

    public List<X509Certificate> caCertificates() {
        return Certificates.fromPkcs7Base64(http.send("GET", "/.well-known/est/cacerts", null, null, Map.of()));
    }
}
