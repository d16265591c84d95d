/**
 * The append-only, hash-chained audit log of every security-relevant action. Other features call
 * {@link org.wardfleet.audit.AuditLog}; reading and verifying the chain is served under {@code /api/v1/audit}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit",
        allowedDependencies = {"platform :: web", "platform :: mongo", "platform :: security"})
package org.wardfleet.audit;
