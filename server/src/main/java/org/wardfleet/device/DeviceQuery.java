package org.wardfleet.device;

import java.time.Instant;
import java.util.Set;

import org.wardfleet.platform.web.ProblemType;

/**
 * What to list. Every filter is optional. {@code text} matches a device id, model, OS version, certificate serial,
 * hardware serial, or the name or email of the assigned user; {@code ids} limits the page to those devices (a
 * filter computed elsewhere, such as compliance). {@code lastSeenAfter} / {@code lastSeenBefore} bound the last
 * check-in. Pages are {@code 0}-based, {@code size} 1..200.
 */
public record DeviceQuery(DeviceState state, Ownership ownership, DevicePlatform platform, String group, String text,
        String assignedUserId, Instant lastSeenAfter, Instant lastSeenBefore, Set<String> ids, Sort sort, int page,
        int size) {

    public static final int MAX_SIZE = 200;
    public static final int MAX_TEXT = 100;

    /** Newest enrollment first (the API's order), or most recently seen first. */
    public enum Sort { ENROLLED, LAST_SEEN }

    public DeviceQuery {
        if (page < 0 || size < 1 || size > MAX_SIZE || (long) page * size > Integer.MAX_VALUE
                || (text != null && text.length() > MAX_TEXT)) {
            throw ProblemType.VALIDATION_FAILED.exception("page >= 0 (and page × size within 2^31), size 1..%d, text "
                    + "at most %d characters", MAX_SIZE, MAX_TEXT);
        }
        text = text == null || text.isBlank() ? null : text.trim();
        ids = ids == null ? null : Set.copyOf(ids);
        sort = sort == null ? Sort.ENROLLED : sort;
    }

    /** The API's filters, newest enrollment first. */
    public static DeviceQuery of(DeviceState state, Ownership ownership, DevicePlatform platform, String group,
            String text, int page, int size) {
        return new DeviceQuery(state, ownership, platform, group, text, null, null, null, null, Sort.ENROLLED, page,
                size);
    }

    /** Offset of this page's first device. */
    public long offset() {
        return (long) page * size;
    }
}
