package org.wardfleet.platform.tls;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.tls.*}. Enabled by default; turn off only behind a TLS-terminating proxy. With no certificate
 * configured, a development certificate for localhost is generated into {@code devDir} (refused under {@code prod}).
 */
@ConfigurationProperties("wardfleet.tls")
public record TlsProperties(
        @DefaultValue("true") boolean enabled,
        Path certificate,
        Path privateKey,
        @DefaultValue("certs-dev") Path devDir) {

    public TlsProperties {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException(
                    "Set both wardfleet.tls.certificate and wardfleet.tls.private-key, or neither");
        }
    }

    public boolean usesDevCertificate() {
        return enabled && certificate == null;
    }
}
