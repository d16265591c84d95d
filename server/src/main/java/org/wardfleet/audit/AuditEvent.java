package org.wardfleet.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One action to record. {@code details} are short, non-secret strings: never a password, token, or message text.
 *
 * @param orgId the organisation whose chain holds the entry ({@link #SYSTEM_ORG} when none is known, e.g. a login
 *              attempt for an unknown email)
 * @param action dotted verb, e.g. {@code auth.login}, {@code user.create}
 */
public record AuditEvent(String orgId, Actor actor, String action, String target, Outcome outcome,
        Map<String, String> details) {

    public static final String SYSTEM_ORG = "system";

    public AuditEvent {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        details = details == null ? Map.of() : Map.copyOf(new TreeMap<>(details));
    }

    public static AuditEvent of(String orgId, Actor actor, String action, String target, Outcome outcome) {
        return new AuditEvent(orgId, actor, action, target, outcome, Map.of());
    }

    public AuditEvent withDetail(String key, String value) {
        Map<String, String> more = new TreeMap<>(details);
        more.put(key, value);
        return new AuditEvent(orgId, actor, action, target, outcome, more);
    }

    public enum Outcome { SUCCESS, FAILURE, DENIED }

    /** Who acted: a user, a device, the server itself, or someone not (yet) identified. */
    public record Actor(String type, String id) {

        public static Actor user(String userId) {
            return new Actor("user", userId);
        }

        public static Actor device(String deviceId) {
            return new Actor("device", deviceId);
        }

        public static Actor system() {
            return new Actor("system", "wardfleet");
        }

        /** An unauthenticated party, named by what it claimed (e.g. the email it tried). */
        public static Actor anonymous(String claimed) {
            return new Actor("anonymous", claimed);
        }
    }
}
