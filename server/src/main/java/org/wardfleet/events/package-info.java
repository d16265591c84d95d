/**
 * Security events for IT in real time: rooted devices, forged or replayed attestations, credentials used after
 * retirement, bursts of non-compliance. Stored (so every instance and a late subscriber see them), streamed as
 * server-sent events ({@code /api/v1/events}) and delivered to an HMAC-signed webhook (SIEM, paging).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Events",
        allowedDependencies = {"platform :: web", "platform :: time", "platform :: mongo",
            "platform :: security", "identity"})
package org.wardfleet.events;
