package org.wardfleet.identity.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.RequestContext;

import reactor.core.publisher.Mono;

/**
 * A person changes their own password, proving the current one. The proof is a password guess like a sign-in, so it
 * counts against the same throttle (the same account-and-address counts: a guesser gains nothing by switching between
 * the two) and is audited either way. A new password ends every token issued before it, as a reset does; the answer
 * carries a new token for the session that changed it.
 */
@Component
class PasswordChange {

    static final ProblemType CURRENT_PASSWORD_WRONG = new ProblemType("current-password-wrong",
            HttpStatus.BAD_REQUEST, "Current password wrong");

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final TokenIssuer tokens;
    private final AuditLog audit;
    private final Clock clock;

    PasswordChange(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, TokenIssuer tokens,
            AuditLog audit, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    Mono<TokenIssuer.AccessToken> change(Caller caller, String current, String replacement) {
        return users.find(caller.orgId(), caller.userId())
                .switchIfEmpty(Mono.error(() -> UserAdministration.notFound(caller.userId())))
                .zipWith(RequestContext.current())
                .flatMap(t -> {
                    StoredUser user = t.getT1();
                    LoginThrottle.Attempt attempt = new LoginThrottle.Attempt(user.email(), t.getT2().sourceAddress());
                    return throttle.blockedFor(attempt)
                            .flatMap(wait -> audit.record(event(user, Outcome.DENIED, "rate-limited"))
                                    .then(Mono.<TokenIssuer.AccessToken>error(ProblemType.RATE_LIMITED
                                            .exception("Too many wrong passwords; try again later")
                                            .retryAfter(wait))))
                            .switchIfEmpty(Mono.defer(() -> check(user, attempt, current, replacement)));
                });
    }

    private Mono<TokenIssuer.AccessToken> check(StoredUser user, LoginThrottle.Attempt attempt, String current,
            String replacement) {
        if (user.passwordHash() == null) {
            return Mono.error(ProblemType.CONFLICT.exception(
                    "You sign in through your organisation's identity provider: change your password there"));
        }
        String weakness = PasswordHasher.weakness(replacement, user.email());
        if (weakness != null) {
            return Mono.error(UserAdministration.WEAK_PASSWORD.exception("The new password %s", weakness)
                    .with("errors", List.of(Map.of("path", "newPassword", "message", weakness))));
        }
        return hasher.matches(current, user.passwordHash())
                .flatMap(matches -> matches ? changed(user, attempt, replacement) : wrong(user, attempt));
    }

    private Mono<TokenIssuer.AccessToken> wrong(StoredUser user, LoginThrottle.Attempt attempt) {
        return throttle.failed(attempt)
                .then(audit.record(event(user, Outcome.FAILURE, "bad-credentials")))
                .then(Mono.error(CURRENT_PASSWORD_WRONG.exception("The current password is wrong")
                        .with("errors", List.of(Map.of("path", "currentPassword", "message", "is wrong")))));
    }

    private Mono<TokenIssuer.AccessToken> changed(StoredUser user, LoginThrottle.Attempt attempt,
            String replacement) {
        return hasher.hash(replacement)
                .flatMap(hash -> users.setPassword(user.orgId(), user.id(), hash, clock.instant()))
                .then(throttle.succeeded(attempt))
                .then(audit.record(event(user, Outcome.SUCCESS, null)))
                // issued after the change: its iat_ms is not before tokensValidAfter, so this session goes on
                .then(Mono.fromCallable(() -> tokens.issue(user)));
    }

    private static AuditEvent event(StoredUser user, Outcome outcome, String reason) {
        AuditEvent event = AuditEvent.of(user.orgId(), Actor.user(user.id()), "user.password-change", user.id(),
                outcome);
        return reason == null ? event : event.withDetail("reason", reason);
    }
}
