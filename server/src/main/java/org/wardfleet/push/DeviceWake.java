package org.wardfleet.push;

import java.util.List;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * Tells devices to contact the server now. A device connected to the stream (on any instance) gets an event at once;
 * one that is not gets an FCM data-only message without content. Neither proves anything reached the device.
 */
public interface DeviceWake {

    /**
     * @param reason a short non-secret word for the device ("policy"), never content
     */
    default Mono<WakeReport> wake(String orgId, List<WakeTarget> targets, String reason) {
        return wake(orgId, targets, reason, true);
    }

    /**
     * @param urgent FCM high priority (wakes a dozing Android phone at once); false for routine traffic, which
     *        Android may batch
     */
    Mono<WakeReport> wake(String orgId, List<WakeTarget> targets, String reason, boolean urgent);

    record WakeTarget(String deviceId, String platform, List<String> pushTokens) {
        public WakeTarget {
            pushTokens = pushTokens == null ? List.of() : List.copyOf(pushTokens);
        }
    }

    /**
     * @param viaStream devices sent a stream event (connected somewhere)
     * @param viaPush devices FCM accepted a message for
     * @param failed device id → why neither worked (no push token, FCM refused, FCM off)
     */
    record WakeReport(Set<String> viaStream, Set<String> viaPush, Map<String, String> failed) {
    }
}
