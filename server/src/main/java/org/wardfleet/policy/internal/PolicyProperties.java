package org.wardfleet.policy.internal;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.policy.*}. {@code directory}: policy files (YAML) loaded at start, GitOps style; unset → the
 * baselines shipped in the jar ({@code policies/baselines}). {@code maxDocumentSize}: the largest policy text.
 */
@ConfigurationProperties("wardfleet.policy")
record PolicyProperties(Path directory, @DefaultValue("65536") int maxDocumentSize,
        @DefaultValue("500") int fanOutBatch, @DefaultValue("30s") Duration fanOutTimeout) {

    PolicyProperties {
        if (maxDocumentSize < 1024 || maxDocumentSize > 1_048_576) {
            throw new IllegalArgumentException("wardfleet.policy.max-document-size must be between 1024 and 1048576");
        }
        if (fanOutBatch < 1 || fanOutBatch > 5000) {
            throw new IllegalArgumentException("wardfleet.policy.fan-out-batch must be between 1 and 5000");
        }
    }
}
