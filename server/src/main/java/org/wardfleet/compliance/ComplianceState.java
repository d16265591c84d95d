package org.wardfleet.compliance;

/** UNKNOWN when the evidence cannot be judged (e.g. no fresh revocation list): never treated as compliant. */
public enum ComplianceState {
    COMPLIANT, NON_COMPLIANT, UNKNOWN
}
