package org.wardfleet.audit;

import org.springframework.http.HttpStatus;
import org.wardfleet.platform.web.ProblemType;

/** Why an action could not be audited (and so was not confirmed). */
public final class AuditProblems {

    /**
     * Too many entries already wait for one organisation's chain, or its storage did not answer in time: the caller
     * gets 503 with {@code Retry-After}, never a 500, and retries (with the same idempotency key where there is one).
     */
    public static final ProblemType AUDIT_UNAVAILABLE = new ProblemType("audit-unavailable",
            HttpStatus.SERVICE_UNAVAILABLE, "Audit log unavailable");

    private AuditProblems() {
    }
}
