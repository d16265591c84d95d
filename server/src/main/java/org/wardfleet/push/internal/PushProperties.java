package org.wardfleet.push.internal;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.push.*}. {@code fcmServiceAccountFile}: a Firebase service-account JSON; unset → FCM is off
 * (logged at start and shown in health) and devices are reached over the stream or at their next check-in only.
 */
@ConfigurationProperties("wardfleet.push")
record PushProperties(Path fcmServiceAccountFile, String fcmProjectId,
        @DefaultValue("1h") Duration fcmTtl,
        @DefaultValue("3") int fcmAttempts,
        @DefaultValue("1s") Duration fcmBackoff,
        @DefaultValue("25s") Duration streamHeartbeat,
        @DefaultValue("90s") Duration presenceTimeout,
        @DefaultValue("5000") int maxStreamConnections) {

    PushProperties {
        if (fcmAttempts < 1 || fcmAttempts > 10) {
            throw new IllegalArgumentException("wardfleet.push.fcm-attempts must be between 1 and 10");
        }
        if (presenceTimeout.compareTo(streamHeartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException(
                    "wardfleet.push.presence-timeout must be at least twice wardfleet.push.stream-heartbeat");
        }
    }
}
