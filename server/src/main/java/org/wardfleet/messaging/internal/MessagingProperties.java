package org.wardfleet.messaging.internal;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.messaging.*}. {@code masterKey} (or {@code masterKeyFile}): wraps each organisation's data key
 * that encrypts message bodies at rest; required under {@code prod}, generated into the data directory in
 * development. {@code retention}: how long bodies are kept.
 */
@ConfigurationProperties("wardfleet.messaging")
record MessagingProperties(String masterKey, Path masterKeyFile, @DefaultValue("30d") Duration retention,
        @DefaultValue("50") int maxParticipants, @DefaultValue("1m") Duration retentionSweep) {

    MessagingProperties {
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("wardfleet.messaging.retention must be at least 1h");
        }
        if (maxParticipants < 2 || maxParticipants > 500) {
            throw new IllegalArgumentException("wardfleet.messaging.max-participants must be between 2 and 500");
        }
    }

    @Override
    public String toString() {
        return "MessagingProperties[masterKey=***, retention=" + retention + "]";
    }
}
