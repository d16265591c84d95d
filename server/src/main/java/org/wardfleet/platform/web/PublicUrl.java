package org.wardfleet.platform.web;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.public-url}: the address devices and other systems use to reach this server (the proxy's, when
 * one terminates TLS). Certificate CRL/OCSP locations, enrollment links and the audience of device tokens use it.
 */
@ConfigurationProperties("wardfleet")
public record PublicUrl(@DefaultValue("https://localhost:8443") URI publicUrl) {

    public PublicUrl {
        String scheme = publicUrl.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || publicUrl.getHost() == null) {
            throw new IllegalArgumentException("wardfleet.public-url must be an absolute http(s) URL: " + publicUrl);
        }
        String text = publicUrl.toString();
        publicUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /** {@code path} (starting with '/') under the public URL. */
    public String resolve(String path) {
        return publicUrl + path;
    }
}
