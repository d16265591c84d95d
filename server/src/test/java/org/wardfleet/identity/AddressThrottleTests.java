package org.wardfleet.identity;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.WardfleetTest;

/** One source address guessing across many accounts is slowed down too, not only one account. */
@WardfleetTest
@TestPropertySource(properties = "wardfleet.identity.free-failures-per-address=3")
class AddressThrottleTests {

    @Autowired WebTestClient http;

    @Test
    void sprayingPasswordsAcrossAccountsFromOneAddressIsThrottled() {
        for (int i = 0; i < 4; i++) {
            http.post().uri("/api/v1/auth/token")
                    .bodyValue(Map.of("email", "spray-" + UUID.randomUUID() + "@test.local", "password", "Winter2026!"))
                    .exchange().expectStatus().isUnauthorized();
        }
        http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", "spray-" + UUID.randomUUID() + "@test.local", "password", "Winter2026!"))
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().valueMatches("Retry-After", "[1-9][0-9]*")
                .expectBody().jsonPath("$.retryAfterSeconds").isNumber();
    }
}
