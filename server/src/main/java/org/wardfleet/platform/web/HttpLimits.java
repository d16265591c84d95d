package org.wardfleet.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code wardfleet.http.max-body-size}: the largest request body any endpoint accepts (default 256 KB). */
@ConfigurationProperties("wardfleet.http")
public record HttpLimits(@DefaultValue("256KB") DataSize maxBodySize) {

    public HttpLimits {
        if (maxBodySize.toBytes() < 1024) {
            throw new IllegalArgumentException("wardfleet.http.max-body-size must be at least 1KB");
        }
    }
}
