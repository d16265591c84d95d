package org.wardfleet.identity.internal;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.RequestContext;

import reactor.core.publisher.Mono;

/**
 * Password sign-in. Unknown email, wrong password and disabled account all answer the same 401 after the same
 * amount of hashing, so the answer tells an attacker nothing; each attempt is throttled and audited.
 */
@Component
class SignIn {

    private static final Logger log = LoggerFactory.getLogger(SignIn.class);

    static final ProblemType INVALID_CREDENTIALS =
            new ProblemType("invalid-credentials", HttpStatus.UNAUTHORIZED, "Invalid credentials");

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final TokenIssuer tokens;
    private final AuditLog audit;

    SignIn(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, TokenIssuer tokens,
            AuditLog audit) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.tokens = tokens;
        this.audit = audit;
    }

    Mono<TokenIssuer.AccessToken> signIn(String rawEmail, String password) {
        return authenticate(rawEmail, password).map(tokens::issue);
    }

    /** The user these credentials prove, throttled and audited as every sign-in; the console's session starts here. */
    Mono<StoredUser> authenticate(String rawEmail, String password) {
        String email = rawEmail.trim().toLowerCase(Locale.ROOT);
        return RequestContext.current().flatMap(ctx -> {
            LoginThrottle.Attempt attempt = new LoginThrottle.Attempt(email, ctx.sourceAddress());
            return throttle.blockedFor(attempt)
                    .flatMap(wait -> audit.record(attempt(null, email, Outcome.DENIED, "rate-limited"))
                            .then(Mono.<StoredUser>error(ProblemType.RATE_LIMITED
                                    .exception("Too many failed sign-ins; try again later").retryAfter(wait))))
                    .switchIfEmpty(Mono.defer(() -> check(attempt, password, ctx)));
        });
    }

    private Mono<StoredUser> check(LoginThrottle.Attempt attempt, String password, RequestContext ctx) {
        String email = attempt.email();
        return users.findByEmailForSignIn(email)
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMap(user -> hasher.matches(password, user.map(StoredUser::passwordHash).orElse(null))
                        .flatMap(matches -> matches && user.isPresent() && !user.get().disabled()
                                ? success(user.get(), attempt)
                                : failure(user.orElse(null), attempt, ctx, matches ? "disabled" : "bad-credentials")));
    }

    private Mono<StoredUser> success(StoredUser user, LoginThrottle.Attempt attempt) {
        return throttle.succeeded(attempt)
                .then(audit.record(AuditEvent.of(user.orgId(), Actor.user(user.id()), "auth.login", user.id(),
                        Outcome.SUCCESS)))
                .thenReturn(user);
    }

    private Mono<StoredUser> failure(StoredUser user, LoginThrottle.Attempt attempt, RequestContext ctx,
            String reason) {
        // no email or password in the log: the audit chain, with its access control, holds who tried
        ctx.log(() -> log.info("Sign-in refused ({}) from {}", reason, ctx.sourceAddress()));
        return throttle.failed(attempt)
                .then(audit.record(attempt(user, attempt.email(), Outcome.FAILURE, reason)))
                .then(Mono.error(INVALID_CREDENTIALS.exception("Email or password is wrong")));
    }

    /** Attempts for unknown emails go to the server's own chain: no organisation is known to file them under. */
    private static AuditEvent attempt(StoredUser user, String email, Outcome outcome, String reason) {
        String orgId = user == null ? AuditEvent.SYSTEM_ORG : user.orgId();
        Actor actor = user == null ? Actor.anonymous(email) : Actor.user(user.id());
        return AuditEvent.of(orgId, actor, "auth.login", user == null ? null : user.id(), outcome)
                .withDetail("reason", reason);
    }
}
