package org.wardfleet.identity.internal;

import java.net.URI;
import java.time.Instant;

import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/** {@link SignIns}: the API's password check and provider mapping, for a session instead of a token. */
@Component
class BrowserSignIns implements SignIns {

    private final SignIn signIn;
    private final ProviderCodeFlow provider;
    private final OidcUsers oidcUsers;
    private final OidcProperties oidc;
    private final UserRepository users;
    private final AuditLog audit;

    BrowserSignIns(SignIn signIn, ProviderCodeFlow provider, OidcUsers oidcUsers, OidcProperties oidc,
            UserRepository users, AuditLog audit) {
        this.signIn = signIn;
        this.provider = provider;
        this.oidcUsers = oidcUsers;
        this.oidc = oidc;
        this.users = users;
        this.audit = audit;
    }

    @Override
    public Mono<Caller> password(String email, String password) {
        return signIn.authenticate(email, password).map(BrowserSignIns::caller);
    }

    @Override
    public boolean providerConfigured() {
        return oidc.browserSignIn();
    }

    @Override
    public Mono<ProviderStart> startProvider(URI redirectUri) {
        return providerConfigured() ? provider.start(redirectUri)
                : Mono.error(ProviderCodeFlow.SIGN_IN_REFUSED.exception("No identity provider is configured"));
    }

    @Override
    public Mono<Caller> finishProvider(String state, String code, URI redirectUri) {
        if (!providerConfigured()) {
            return Mono.error(ProviderCodeFlow.SIGN_IN_REFUSED.exception("No identity provider is configured"));
        }
        return provider.finish(state, code, redirectUri)
                .flatMap(verified -> oidcUsers.caller(verified.idToken())
                        .onErrorMap(AuthenticationException.class, refused -> ProviderCodeFlow.SIGN_IN_REFUSED
                                .exception("Your organisation's sign-in names no Wardfleet organisation, email or role"
                                        + " you may use, or your account is disabled")))
                .flatMap(caller -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "auth.login", caller.userId(), Outcome.SUCCESS).withDetail("method", "provider"))
                        .thenReturn(caller))
                // the person is unknown when the provider's answer does not hold: the server's own chain files it
                .onErrorResume(org.wardfleet.platform.web.ProblemException.class, refused -> audit.record(AuditEvent.of(
                                AuditEvent.SYSTEM_ORG, Actor.anonymous("identity-provider"), "auth.login", null,
                                Outcome.FAILURE).withDetail("method", "provider")
                                .withDetail("reason", refused.problemType().slug()))
                        .then(Mono.error(refused)));
    }

    @Override
    public Mono<Caller> current(Caller signedIn, Instant signedInAt, Method method) {
        return users.find(signedIn.orgId(), signedIn.userId())
                .filter(user -> !user.disabled())
                .filter(user -> user.tokensValidAfter() == null || !signedInAt.isBefore(user.tokensValidAfter()))
                .map(user -> method == Method.PASSWORD ? caller(user) : new Caller(user.id(), user.orgId(),
                        user.email(), signedIn.roles()));
    }

    private static Caller caller(StoredUser user) {
        return new Caller(user.id(), user.orgId(), user.email(), user.roles());
    }
}
