package org.wardfleet.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code wardfleet.cors.allowed-origins}: empty (the default) keeps CORS closed. */
@ConfigurationProperties("wardfleet.cors")
public record SecurityProperties(@DefaultValue List<String> allowedOrigins) {
}
