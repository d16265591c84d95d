package org.wardfleet.support;

import java.time.Duration;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * A generous bound on each answer (the client's default is 5 s): CI machines are small and busy, and an enrollment
 * that creates an organisation's CA can take longer there. A test still fails when an answer never comes.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestClientTimeout {

    @Bean
    WebTestClientBuilderCustomizer generousResponseTimeout() {
        return builder -> builder.responseTimeout(Duration.ofSeconds(60));
    }
}
