package org.wardfleet.platform.tls;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.netty.handler.ssl.ClientAuth;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;

/**
 * Serves HTTPS with the configured certificate or the generated development one. Under the {@code prod} profile a
 * development certificate stops startup: a hospital must not run on a key that anyone with the repo can forge.
 */
@Component
class TlsConfiguration implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(TlsConfiguration.class);

    private final TlsProperties properties;
    private final boolean prod;

    TlsConfiguration(TlsProperties properties, Environment environment) {
        this.properties = properties;
        this.prod = Arrays.asList(environment.getActiveProfiles()).contains("prod");
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        if (!properties.enabled()) {
            log.warn("TLS is off (wardfleet.tls.enabled=false): run only behind a TLS-terminating proxy");
            return;
        }
        if (prod && properties.usesDevCertificate()) {
            throw new IllegalStateException("The prod profile refuses the development certificate: set "
                    + "wardfleet.tls.certificate and wardfleet.tls.private-key (or wardfleet.tls.enabled=false "
                    + "behind a TLS-terminating proxy)");
        }
        Path certificate;
        Path key;
        if (properties.usesDevCertificate()) {
            DevCertificates.KeyFiles dev = DevCertificates.ensure(properties.devDir());
            certificate = dev.certificate();
            key = dev.privateKey();
        } else {
            certificate = properties.certificate();
            key = properties.privateKey();
        }
        if (prod && isDevCertificate(certificate)) {
            throw new IllegalStateException("The prod profile refuses " + certificate
                    + ": it is a Wardfleet development certificate");
        }
        File certFile = certificate.toAbsolutePath().toFile();
        File keyFile = key.toAbsolutePath().toFile();
        // Client certificates are optional (devices use them; browsers and API clients do not) and are checked by the
        // application per request, see ClientCertificateTrust.
        factory.addServerCustomizers(server -> server
                .protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
                .secure(spec -> spec.sslContext(Http2SslContextSpec.forServer(certFile, keyFile)
                        .configure(builder -> builder
                                .clientAuth(ClientAuth.OPTIONAL)
                                .trustManager(ClientCertificateTrust.INSTANCE)
                                .protocols("TLSv1.3", "TLSv1.2")))));
        log.info("HTTPS with certificate {}", certificate.toAbsolutePath().normalize());
    }

    static boolean isDevCertificate(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return cert.getSubjectX500Principal().getName().contains(DevCertificates.DEV_ORGANISATION);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("Cannot read TLS certificate " + certificate, e);
        }
    }
}
