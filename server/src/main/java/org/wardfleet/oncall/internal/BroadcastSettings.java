package org.wardfleet.oncall.internal;

import org.wardfleet.oncall.internal.BroadcastPermission.Settings;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/** An organisation's broadcast rules: read by anyone in it, changed by an {@code ADMIN} (audited). */
interface BroadcastSettings {

    /** The organisation's rules; the defaults when none were set. */
    Mono<Settings> settings(String orgId);

    /** {@code ADMIN}: replaces the organisation's rules; answers them. */
    Mono<Settings> change(Caller caller, Settings changed);
}
