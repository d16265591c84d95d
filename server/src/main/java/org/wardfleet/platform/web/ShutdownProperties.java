package org.wardfleet.platform.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an instance leaves a load balancer on SIGTERM (a rolling upgrade). Spring reports readiness
 * {@code OUT_OF_SERVICE} first; then, in order:
 *
 * @param drainDelay how long the instance goes on serving after that, every answer carrying {@code Connection: close},
 *        so that the load balancer's health check sees it down and kept-alive clients move to other instances before
 *        it stops accepting connections; set it to the balancer's detection time plus a margin (HAProxy:
 *        {@code fall × inter} + 1 s). 0 (the default): no balancer in front
 * @param streamHandover the window in which device streams are asked to move ({@code {"type":"reconnect",
 *        "withinMs":…}}: each device opens its new stream at a random moment in it, then drops this one); streams still
 *        here after it (plus up to 10 s for connections under way) are closed
 */
@ConfigurationProperties("wardfleet.shutdown")
public record ShutdownProperties(@DefaultValue("0s") Duration drainDelay, @DefaultValue("5s") Duration streamHandover) {

    /** Both waits happen inside one Spring shutdown phase ({@code spring.lifecycle.timeout-per-shutdown-phase}). */
    static final Duration MAX = Duration.ofSeconds(15);

    public ShutdownProperties {
        if (drainDelay.isNegative() || drainDelay.compareTo(MAX) > 0 || streamHandover.isNegative()
                || streamHandover.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("wardfleet.shutdown.drain-delay and stream-handover are 0-15s");
        }
    }
}
