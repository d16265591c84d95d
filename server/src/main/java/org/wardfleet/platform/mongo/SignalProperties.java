package org.wardfleet.platform.mongo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Signal channels ({@link SignalChannel}) against an external MongoDB.
 *
 * @param instance this instance's stable name among those sharing the database (a host name, a StatefulSet pod
 *        name). Set: the change-stream position of each channel is saved under it, and the instance, restarted,
 *        resumes where it stopped. Unset: it resumes only across interruptions while it runs
 * @param tokenInterval how often at most a channel's position is saved (one small upsert per channel)
 * @param maxResumeAge a saved position older than this is not replayed: the instance resynchronises instead (its
 *        devices and sessions are told to fetch), as when the server no longer has the history
 */
@ConfigurationProperties("wardfleet.signals")
public record SignalProperties(
        String instance,
        @DefaultValue("5s") Duration tokenInterval,
        @DefaultValue("15m") Duration maxResumeAge) {

    public SignalProperties {
        if (instance != null && !instance.matches("[A-Za-z0-9_.:-]{1,100}")) {
            throw new IllegalArgumentException(
                    "wardfleet.signals.instance must be 1-100 letters, digits, '_', '.', ':' or '-'");
        }
        if (tokenInterval == null || tokenInterval.isNegative() || tokenInterval.isZero()) {
            throw new IllegalArgumentException("wardfleet.signals.token-interval must be positive, e.g. 5s");
        }
        if (maxResumeAge == null || maxResumeAge.compareTo(tokenInterval) <= 0) {
            throw new IllegalArgumentException("wardfleet.signals.max-resume-age must exceed the token interval");
        }
    }

    public boolean persistent() {
        return instance != null && !instance.isBlank();
    }
}
