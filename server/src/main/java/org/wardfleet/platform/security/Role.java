package org.wardfleet.platform.security;

/** What a user may do. Least privilege: each endpoint names the roles it admits. */
public enum Role {
    /** IT: devices, policies, users. */
    ADMIN,
    /** Security staff: reads audit and compliance, changes nothing. */
    SECURITY,
    /** Clinical staff: messaging and their own devices. */
    CLINICIAN
}
