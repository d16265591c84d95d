package org.wardfleet.wctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.RunningServer;

import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.client.HttpClient;

/** A sender pinned to its TLS client certificate is refused without that certificate, even with the right code. */
class WctpClientCertificateTests {

    static final String CODE = "pinned-sender-security-code";

    @TempDir
    static Path dir;
    static RunningServer server;
    static String base;
    static X509Certificate serverCert;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "https://localhost:" + port;
        Path certs = dir.resolve("certs-dev");
        server = RunningServer.start(Map.of("server.port", String.valueOf(port), "wardfleet.public-url", base,
                "wardfleet.tls.dev-dir", certs.toString(), "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-email", "wctp-admin@hospital.test",
                "wardfleet.bootstrap.admin-password", "wctp-admin-password-1"));
        try (InputStream in = Files.newInputStream(certs.resolve("localhost.crt"))) {
            serverCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPinnedSenderNeedsItsOwnClientCertificate() throws Exception {
        KeyPair nurseCallKeys = keys();
        X509Certificate nurseCall = selfSigned(nurseCallKeys, "CN=nurse-call.hospital.test");
        KeyPair otherKeys = keys();
        X509Certificate other = selfSigned(otherKeys, "CN=nurse-call.hospital.test");
        WebTestClient anonymous = client(null, null);
        String admin = (String) anonymous.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", "wctp-admin@hospital.test", "password", "wctp-admin-password-1"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("access_token");
        String pin = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256")
                .digest(nurseCall.getEncoded())).toUpperCase();
        anonymous.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("senderId", "pinned-nurse-call", "securityCode", CODE,
                        "allowedRecipients", List.of("role:*"), "clientCertificateSha256", pin))
                .exchange().expectStatus().isCreated();
        anonymous.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("senderId", "bad-pin", "securityCode", CODE,
                        "allowedRecipients", List.of("role:*"), "clientCertificateSha256", "not-a-digest"))
                .exchange().expectStatus().isBadRequest();

        String query = "<wctp-Operation wctpVersion=\"1.3\"><wctp-ClientQuery senderID=\"pinned-nurse-call\" "
                + "securityCode=\"" + CODE + "\" recipientID=\"x\" trackingNumber=\"nothing-yet\"/></wctp-Operation>";
        assertThat(wctp(anonymous, query)).contains("errorCode=\"401\"");
        assertThat(wctp(client(otherKeys, other), query)).contains("errorCode=\"401\"");
        // the right certificate gets past authentication (to "unknown tracking number")
        assertThat(wctp(client(nurseCallKeys, nurseCall), query)).contains("errorCode=\"403\"")
                .contains("trackingNumber");
    }

    private static String wctp(WebTestClient client, String xml) {
        return client.post().uri("/wctp").contentType(MediaType.TEXT_XML).bodyValue(xml).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private static WebTestClient client(KeyPair keys, X509Certificate cert) throws Exception {
        SslContextBuilder ssl = SslContextBuilder.forClient().trustManager(serverCert);
        if (keys != null) {
            ssl.keyManager(keys.getPrivate(), cert);
        }
        var context = ssl.build();
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()
                .secure(s -> s.sslContext(context)))).baseUrl(base).responseTimeout(java.time.Duration.ofMinutes(2)).build();
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys, String subject) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name(subject);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
