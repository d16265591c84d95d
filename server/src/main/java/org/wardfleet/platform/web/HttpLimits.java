package org.wardfleet.platform.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code wardfleet.http.*}: the largest request body any endpoint accepts (default 256 KB), the longest pause while
 * a body arrives (default 20 s) and the longest a whole body may take (default 60 s).
 */
@ConfigurationProperties("wardfleet.http")
public record HttpLimits(@DefaultValue("256KB") DataSize maxBodySize, @DefaultValue("20s") Duration bodyReadTimeout,
        @DefaultValue("60s") Duration bodyTotalTimeout) {

    public HttpLimits {
        if (maxBodySize.toBytes() < 1024) {
            throw new IllegalArgumentException("wardfleet.http.max-body-size must be at least 1KB");
        }
        if (bodyReadTimeout.compareTo(Duration.ofSeconds(1)) < 0
                || bodyTotalTimeout.compareTo(bodyReadTimeout) < 0) {
            throw new IllegalArgumentException("wardfleet.http.body-read-timeout must be at least 1s and "
                    + "wardfleet.http.body-total-timeout at least as long");
        }
    }
}
