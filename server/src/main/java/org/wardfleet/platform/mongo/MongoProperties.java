package org.wardfleet.platform.mongo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Storage settings. {@code uri} set: that MongoDB (replica set or sharded cluster in production). Unset: an embedded
 * MongoDB-wire-protocol server on 127.0.0.1, H2 file backend under {@code wardfleet.data-dir}, or in memory for tests.
 *
 * @param embeddedMinFree below this much free space in the data directory, writes are refused (503) before the disk
 *        fills; they resume by themselves once there is half as much again
 * @param embeddedDurability {@code SYNC}: a reply leaves the embedded server only once what it reports is forced to
 *        disk (group commit). {@code NONE}: H2 writes about once a second and a crash loses up to that much
 *        acknowledged work — for measuring what durability costs, refused under the {@code prod} profile
 */
@ConfigurationProperties("wardfleet.mongodb")
public record MongoProperties(
        String uri,
        @DefaultValue("wardfleet") String database,
        @DefaultValue("H2") EmbeddedBackend embedded,
        @DefaultValue("64MB") DataSize embeddedMinFree,
        @DefaultValue("SYNC") Durability embeddedDurability) {

    public enum EmbeddedBackend { H2, MEMORY }

    public enum Durability { SYNC, NONE }

    public MongoProperties {
        if (database == null || !database.matches("[A-Za-z0-9_-]{1,63}")) {
            throw new IllegalArgumentException("wardfleet.mongodb.database must be 1-63 letters, digits, '_' or '-'");
        }
        if (embeddedMinFree == null || embeddedMinFree.toBytes() < 0) {
            throw new IllegalArgumentException("wardfleet.mongodb.embedded-min-free must be a size, e.g. 64MB");
        }
    }

    public boolean external() {
        return uri != null && !uri.isBlank();
    }
}
