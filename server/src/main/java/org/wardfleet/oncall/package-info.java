/**
 * On-call: roles with rotas (participants in order, shift length, hand-over time, a time zone with its daylight-saving
 * rules), overrides and leave; who is on call now and the schedule with its gaps.
 */
@org.springframework.modulith.ApplicationModule(displayName = "On-call",
        allowedDependencies = {"platform :: web", "platform :: mongo", "platform :: security", "audit", "identity"})
package org.wardfleet.oncall;
