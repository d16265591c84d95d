package org.wardfleet.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.wardfleet.platform.tls.TlsProperties;
import org.wardfleet.platform.web.PublicUrl;

/**
 * {@code Secure} is left off only where nothing speaks HTTPS: TLS off and an {@code http:} public URL (a test on
 * loopback). Behind a TLS-terminating proxy — TLS off here, {@code https:} public URL — the cookie stays Secure.
 */
class SessionCookieTests {

    @Test
    void secureIsDroppedOnlyWhenNeitherThisServerNorItsPublicAddressSpeaksHttps() {
        assertThat(sessions(true, "https://mdm.hospital.example").cookie("c", "v", "/console", "Strict", null)
                .isSecure()).isTrue();
        assertThat(sessions(false, "https://mdm.hospital.example").cookie("c", "v", "/console", "Strict", null)
                .isSecure()).isTrue();
        assertThat(sessions(false, "http://127.0.0.1:8080").cookie("c", "v", "/console", "Strict", null)
                .isSecure()).isFalse();
    }

    private static ConsoleSessions sessions(boolean tls, String publicUrl) {
        return new ConsoleSessions(null, null, new ConsoleProperties(Duration.ofMinutes(15), Duration.ofHours(8)),
                null, Clock.systemUTC(), new TlsProperties(tls, null, null, null), new PublicUrl(URI.create(publicUrl)));
    }
}
