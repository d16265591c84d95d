/**
 * On-call: roles with rotas (participants in order, shift length, hand-over time, a time zone with its daylight-saving
 * rules), overrides and leave; who is on call now and the schedule with its gaps; escalation policies and pages that
 * escalate on durable, leased, step-fenced timers until someone acknowledges — or fail loudly.
 */
@org.springframework.modulith.ApplicationModule(displayName = "On-call",
        allowedDependencies = {"platform :: web", "platform :: time", "platform :: mongo",
            "platform :: security", "audit", "identity",
            "messaging", "events"})
package org.wardfleet.oncall;
