package org.wardfleet.platform.mongo;

import java.time.Instant;

/**
 * Published (as a Spring application event) when storage stops or starts keeping writes again.
 *
 * @param available whether writes are kept now
 * @param reason why they were not (never a secret or PHI: a path and the operating system's reason)
 * @param since when the outage began
 * @param until when it ended, or null while it lasts
 */
public record StorageAvailabilityChanged(boolean available, String reason, Instant since, Instant until) {
}
