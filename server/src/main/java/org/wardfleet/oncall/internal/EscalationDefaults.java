package org.wardfleet.oncall.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Configuration;

/**
 * {@code wardfleet.oncall.defaults.*}: the escalation used when a page names no policy and its role has none — the
 * addressee alone, re-paged every {@code statStep} (2 min) {@code statRepeat} times (3) for STAT, every
 * {@code urgentStep} (5 min) {@code urgentRepeat} times (2) for URGENT; ROUTINE pages do not escalate.
 */
@ConfigurationProperties("wardfleet.oncall.defaults")
record EscalationDefaults(@DefaultValue("2m") Duration statStep, @DefaultValue("3") int statRepeat,
        @DefaultValue("5m") Duration urgentStep, @DefaultValue("2") int urgentRepeat) {

    EscalationDefaults {
        if (statStep.compareTo(Duration.ofSeconds(10)) < 0 || urgentStep.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("wardfleet.oncall.defaults steps must be at least 10s");
        }
        if (statRepeat < 1 || statRepeat > 10 || urgentRepeat < 1 || urgentRepeat > 10) {
            throw new IllegalArgumentException("wardfleet.oncall.defaults repeats must be between 1 and 10");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(EscalationDefaults.class)
    static class Registration {
    }
}
