/**
 * Secure clinical messaging, the pager replacement: conversations, messages and pages with priority, per-recipient
 * receipts up to acknowledgement, delivery only to eligible devices (active and allowed by compliance) as JWE for each
 * device's key, bodies encrypted at rest, idempotent sends, recall and retention.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Messaging",
        allowedDependencies = {"platform :: web", "platform :: time", "platform :: mongo",
            "platform :: security", "platform :: secrets",
            "audit", "identity",
            "device", "compliance", "push"})
package org.wardfleet.messaging;
