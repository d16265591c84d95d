package org.wardfleet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/**
 * While an instance leaves the load balancer every answer closes its connection; once it is started again (a paused
 * and resumed context, as the test framework does between test classes) connections stay alive again — a client
 * that sends its next request on the same connection must not find it closed.
 */
class GracefulDrainTests {

    @Test
    void answersCloseTheirConnectionOnlyWhileDraining() {
        GracefulDrain drain = new GracefulDrain(new ShutdownProperties(Duration.ZERO, Duration.ofSeconds(5)));
        drain.start();
        assertThat(connectionHeader(drain)).isNull();

        drain.stop(() -> { });
        assertThat(drain.draining()).isTrue();
        assertThat(connectionHeader(drain)).isEqualTo("close");

        drain.start();
        assertThat(drain.draining()).isFalse();
        assertThat(connectionHeader(drain)).isNull();
    }

    private static String connectionHeader(GracefulDrain drain) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/me"));
        drain.filter(exchange, e -> e.getResponse().setComplete()).block(Duration.ofSeconds(10));
        return exchange.getResponse().getHeaders().getFirst(HttpHeaders.CONNECTION);
    }
}
