/**
 * WCTP 1.3 (the paging industry's XML-over-HTTP protocol) inbound: hospital systems (nurse call, alarms, lab) send
 * pages to users and on-call roles; registered senders, hardened XML parsing, standard result codes.
 */
@org.springframework.modulith.ApplicationModule(displayName = "WCTP",
        allowedDependencies = {"platform :: web", "platform :: time", "platform :: mongo", "platform :: security",
            "audit", "identity", "oncall", "messaging"})
package org.wardfleet.wctp;
