package org.wardfleet.platform.mongo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Storage settings. {@code uri} set: that MongoDB (replica set or sharded cluster in production). Unset: an embedded
 * MongoDB-wire-protocol server on 127.0.0.1, H2 file backend under {@code wardfleet.data-dir}, or in memory for tests.
 */
@ConfigurationProperties("wardfleet.mongodb")
public record MongoProperties(
        String uri,
        @DefaultValue("wardfleet") String database,
        @DefaultValue("H2") EmbeddedBackend embedded) {

    public enum EmbeddedBackend { H2, MEMORY }

    public MongoProperties {
        if (database == null || !database.matches("[A-Za-z0-9_-]{1,63}")) {
            throw new IllegalArgumentException("wardfleet.mongodb.database must be 1-63 letters, digits, '_' or '-'");
        }
    }

    public boolean external() {
        return uri != null && !uri.isBlank();
    }
}
