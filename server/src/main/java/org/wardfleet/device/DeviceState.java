package org.wardfleet.device;

/** Lifecycle: only ACTIVE and QUARANTINED devices may authenticate; RETIRED and WIPED are final. */
public enum DeviceState {
    ACTIVE, QUARANTINED, RETIRED, WIPED;

    public boolean mayAuthenticate() {
        return this == ACTIVE || this == QUARANTINED;
    }
}
