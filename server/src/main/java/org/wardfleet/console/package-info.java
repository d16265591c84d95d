/**
 * The admin console at {@code /console}: server-rendered pages (Thymeleaf, htmx, no inline script) for IT and security
 * staff, signed in with a server-side session. Pages call the other features' public APIs with the signed-in person's
 * {@link org.wardfleet.platform.security.Caller} — the same code, rules and audit as the API — never their stores.
 * HTTP only: nothing here is used by another feature.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Console",
        allowedDependencies = {"platform :: web", "platform :: mongo", "platform :: security", "platform :: time",
            "platform :: tls", "audit", "identity", "device", "enrollment", "compliance", "policy", "oncall", "wctp",
            "events", "push"})
package org.wardfleet.console;
