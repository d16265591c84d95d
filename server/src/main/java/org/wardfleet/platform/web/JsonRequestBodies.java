package org.wardfleet.platform.web;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON request bodies name only fields the endpoint knows: an unknown one is a {@code malformed-request} naming it
 * ({@code "maxuses": 5} once silently made an invitation with one use). Devices are the exception: a phone's app is
 * updated on its own schedule and may send fields this server does not know yet; those are ignored on
 * {@code /device/**} and {@code /.well-known/est/**} (see docs/api/problems.md). Responses are written as before.
 */
@Configuration(proxyBeanMethods = false)
class JsonRequestBodies {

    /** Paths whose callers are device apps, whatever their version. */
    static final String[] DEVICE_PREFIXES = {"/device/", "/.well-known/est/"};

    private static final String TOLERANT = JsonRequestBodies.class.getName() + ".tolerant";

    /** After Boot's own Jackson codec customizer (order 0), so this decoder is the one used. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    CodecCustomizer strictJsonRequestBodies(JsonMapper json) {
        return configurer -> configurer.defaultCodecs().jacksonJsonDecoder(new Decoder(json));
    }

    static boolean fromDevice(String path) {
        for (String prefix : DEVICE_PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Boot's JSON decoder, strict about unknown fields unless the request comes from a device. */
    static final class Decoder extends JacksonJsonDecoder {

        Decoder(JsonMapper json) {
            super(json);
        }

        @Override
        public Map<String, Object> getDecodeHints(ResolvableType actualType, ResolvableType elementType,
                ServerHttpRequest request, ServerHttpResponse response) {
            Map<String, Object> hints = new HashMap<>(super.getDecodeHints(actualType, elementType, request,
                    response));
            hints.put(TOLERANT, fromDevice(request.getPath().pathWithinApplication().value()));
            return hints;
        }

        @Override
        protected ObjectReader customizeReader(ObjectReader reader, ResolvableType elementType,
                Map<String, Object> hints) {
            ObjectReader customized = super.customizeReader(reader, elementType, hints);
            return hints != null && Boolean.TRUE.equals(hints.get(TOLERANT))
                    ? customized.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    : customized.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        }
    }
}
