package org.wardfleet.platform.security;

/** What a user may do. Least privilege: each endpoint names the roles it admits. */
public enum Role {
    /** IT: devices, policies, users. */
    ADMIN,
    /** Security staff: reads audit and compliance, changes nothing. */
    SECURITY,
    /** Clinical staff: messaging and their own devices. */
    CLINICIAN,
    /**
     * Granted by an ADMIN (or the identity provider) to those who may alert the hospital: broadcasts to everyone, to
     * whoever is on call for a role, or to any group, real or drill. Usually held together with CLINICIAN.
     */
    INCIDENT_LEAD
}
