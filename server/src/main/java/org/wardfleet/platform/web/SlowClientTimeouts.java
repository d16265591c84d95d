package org.wardfleet.platform.web;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Cuts off request bodies that stop arriving ({@link HttpLimits#bodyReadTimeout()} between reads) or dribble
 * ({@link HttpLimits#bodyTotalTimeout()} for the whole body): a phone leaving Wi-Fi mid-upload, or a client holding
 * connections open on purpose, no longer keeps a connection (and its buffers) for minutes. Reactor Netty's
 * {@code idleTimeout} ({@code server.netty.idle-timeout}) would not do: it covers only the wait between requests.
 * These timers run only while a body is being read, so device streams and SSE are not affected.
 */
@Component
class SlowClientTimeouts implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private final HttpLimits limits;

    SlowClientTimeouts(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(server -> server
                .readTimeout(limits.bodyReadTimeout())
                .requestTimeout(limits.bodyTotalTimeout()));
    }
}
