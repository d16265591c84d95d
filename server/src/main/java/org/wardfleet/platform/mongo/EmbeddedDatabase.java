package org.wardfleet.platform.mongo;

/** The embedded database of this process, as a second instance in the same test JVM would reach it. */
public interface EmbeddedDatabase {

    /** {@code mongodb://…} with this process's generated credentials, or null when storage is an external MongoDB. */
    String uriWithCredentials();
}
