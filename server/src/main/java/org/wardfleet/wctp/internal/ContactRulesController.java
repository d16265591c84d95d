package org.wardfleet.wctp.internal;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.Priority;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;

/** A user's contact rules: their fallback pager and how long the app gets first (ADMIN, or the user themself). */
@RestController
class ContactRulesController {

    private final ContactRules rules;
    private final UserDirectory users;
    private final AuditLog audit;

    ContactRulesController(ContactRules rules, UserDirectory users, AuditLog audit) {
        this.rules = rules;
        this.users = users;
        this.audit = audit;
    }

    record Body(@Pattern(regexp = "[0-9]{3,20}") String pager, Map<String, Integer> fallbackAfterSeconds) {
    }

    @Operation(summary = "Set a user's fallback pager and timings (ADMIN or the user)")
    @Problems({"403 forbidden"})
    @PutMapping("/api/v1/users/{id}/contact-rules")
    Mono<ContactRules.Rule> put(Caller caller, @PathVariable String id, @Valid @RequestBody Body body) {
        if (!caller.has(Role.ADMIN) && !caller.userId().equals(id)) {
            return Mono.error(ProblemType.FORBIDDEN.exception("Only ADMIN or the user themself"));
        }
        Map<String, Integer> after = body.fallbackAfterSeconds() == null ? Map.of() : body.fallbackAfterSeconds();
        for (Map.Entry<String, Integer> e : after.entrySet()) {
            // the pager fallback follows only the priorities that alert (STAT, URGENT)
            if (!Priority.known(e.getKey()) || !Priority.valueOf(e.getKey()).alerts() || e.getValue() == null
                    || e.getValue() < 0
                    || e.getValue() > 3600) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception(
                        "fallbackAfterSeconds: STAT and URGENT, 0 to 3600 seconds"));
            }
        }
        return users.find(caller.orgId(), id)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No user %s", id)))
                .flatMap(u -> rules.save(new ContactRules.Rule(id, caller.orgId(), body.pager(), after)))
                .flatMap(r -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "user.contact-rules", id, Outcome.SUCCESS)).thenReturn(r));
    }

    @Operation(summary = "A user's fallback pager and timings (ADMIN or the user)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/users/{id}/contact-rules")
    Mono<ContactRules.Rule> get(Caller caller, @PathVariable String id) {
        if (!caller.has(Role.ADMIN) && !caller.userId().equals(id)) {
            return Mono.error(ProblemType.FORBIDDEN.exception("Only ADMIN or the user themself"));
        }
        return rules.find(caller.orgId(), id)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No contact rules for %s", id)));
    }
}
