package org.wardfleet.platform.mongo;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code wardfleet.data-dir}: where the embedded storage keeps its file (default {@code ./data}). */
@ConfigurationProperties("wardfleet")
public record DataDirectory(@DefaultValue("./data") Path dataDir) {
}
