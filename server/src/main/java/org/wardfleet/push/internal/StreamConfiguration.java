package org.wardfleet.push.internal;

import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PushProperties.class)
class StreamConfiguration {

    /** Before the annotated controllers, so the upgrade request is never taken for a REST call. */
    @Bean
    HandlerMapping deviceStreamMapping(DeviceStreamHandler handler) {
        return new SimpleUrlHandlerMapping(Map.of(DeviceStreamHandler.PATH, handler), -1);
    }
}
