/**
 * Server-side browser sessions shared by the web front ends (the console at {@code /console}, the clinician app at
 * {@code /app}): each front end is a {@link org.wardfleet.console.sessions.SessionArea} with its own cookie, path and
 * timeouts, over one store, one CSRF scheme and one security-context repository.
 */
@org.springframework.modulith.NamedInterface("sessions")
package org.wardfleet.console.sessions;
