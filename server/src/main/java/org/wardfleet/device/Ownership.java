package org.wardfleet.device;

/** NIST SP 1800-21 (COPE) and SP 1800-22 (BYOD) deployment models, plus shared ward devices. */
public enum Ownership {
    /** Staff-owned: only the work profile is managed; no personal data is collected; only selective wipe. */
    BYOD,
    /** Hospital-owned, personally enabled: fully managed, may be fully wiped. */
    COPE,
    /** A hospital-owned device shared on a ward, with no assigned user. */
    SHARED
}
