/**
 * The clinician app at {@code /app}: a browser front end (one page, one script, installable as a PWA) where on-call
 * staff receive, acknowledge and answer pages and messages without a pager. The server side is small: sign-in with a
 * browser session of its own (short idle timeout for shared ward PCs), the page shell, and short-lived access tokens
 * bound to the session, with which the page calls the same JSON API as every other client — the same rules, the same
 * audit. Also the {@code /enroll} page that invitation links open.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Clinician app",
        allowedDependencies = {"platform :: web", "platform :: security", "platform :: tls", "audit", "identity",
            "console :: sessions"})
package org.wardfleet.clinician;
