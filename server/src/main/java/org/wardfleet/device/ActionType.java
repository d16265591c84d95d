package org.wardfleet.device;

/** Remote actions IT can take on a device. */
public enum ActionType {
    /** Lock the screen now. */
    LOCK,
    /** Remove work data only (the work profile / managed apps); personal data untouched. */
    SELECTIVE_WIPE,
    /** Factory reset: hospital-owned devices only, refused for BYOD. */
    WIPE,
    /** Revoke the certificate and stop all delivery at once; the app removes work data when told it is retired. */
    RETIRE,
    /** Check in and fetch policy now. */
    SYNC
}
