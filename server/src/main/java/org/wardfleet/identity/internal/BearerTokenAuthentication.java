package org.wardfleet.identity.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerReactiveAuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.identity.BrowserSessionCheck;
import org.wardfleet.identity.UserTokens;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.CallerAuthentication;
import org.wardfleet.platform.security.ExpiredBearerToken;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;

/**
 * Checks bearer tokens: Wardfleet's own (verified with {@link SigningKeys}) and, when configured, the hospital
 * identity provider's. Either way the caller is then looked up: a disabled user, or a token issued before the last
 * password reset, is refused at once rather than when the token expires.
 */
@Configuration(proxyBeanMethods = false)
class BearerTokenAuthentication {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenAuthentication.class);

    /** The token checks per trusted issuer: Wardfleet's own, and the identity provider's when configured. */
    record Issuers(Map<String, ReactiveAuthenticationManager> byIssuer) {

        Mono<ReactiveAuthenticationManager> manager(String issuer) {
            return Mono.justOrEmpty(issuer == null ? null : byIssuer.get(issuer));
        }
    }

    @Bean
    Issuers trustedIssuers(SigningKeys keys, IdentityProperties identity, OidcProperties oidc, UserRepository users,
            OidcUsers oidcUsers, ObjectProvider<BrowserSessionCheck> sessions, java.time.Clock clock) {
        Map<String, ReactiveAuthenticationManager> byIssuer = new java.util.HashMap<>();
        byIssuer.put(identity.issuer(), expiryTold(ownTokens(keys, identity, users, sessions, clock)));
        if (oidc.enabled()) {
            log.info("Accepting bearer tokens from the identity provider {}", oidc.issuerUri());
            byIssuer.put(oidc.issuerUri(), expiryTold(providerTokens(oidc, oidcUsers)));
        }
        return new Issuers(Map.copyOf(byIssuer));
    }

    @Bean
    ReactiveAuthenticationManagerResolver<ServerWebExchange> bearerTokens(Issuers issuers) {
        return new JwtIssuerReactiveAuthenticationManagerResolver(issuers::manager);
    }

    /** The same checks for a token met outside the user chain; routed by its (not yet verified) {@code iss}. */
    @Bean
    UserTokens userTokens(Issuers issuers) {
        return token -> Mono.fromCallable(() -> com.nimbusds.jwt.JWTParser.parse(token).getJWTClaimsSet().getIssuer())
                .onErrorResume(java.text.ParseException.class, notAJwt -> Mono.empty())
                .flatMap(issuers::manager)
                .flatMap(manager -> manager.authenticate(new BearerTokenAuthenticationToken(token)))
                .onErrorResume(AuthenticationException.class, refused -> Mono.empty())
                .ofType(CallerAuthentication.class)
                .map(CallerAuthentication::getPrincipal);
    }

    /**
     * Signature and claims are checked once per token ({@link VerifiedTokens}); the user, their password resets and
     * their browser session on every request.
     */
    private static ReactiveAuthenticationManager ownTokens(SigningKeys keys, IdentityProperties identity,
            UserRepository users, ObjectProvider<BrowserSessionCheck> sessions, java.time.Clock clock) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                .withJwkSource(jwt -> keys.byId(jwt.getHeader().getKeyID()))
                .jwsAlgorithm(org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.ES256)
                .build();
        decoder.setJwtValidator(validators(identity.issuer(), TokenIssuer.AUDIENCE));
        JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(
                new VerifiedTokens(decoder, keys::verifies, clock, VerifiedTokens.MAX_ENTRIES));
        manager.setJwtAuthenticationConverter(jwt -> users
                .find(jwt.getClaimAsString("org"), jwt.getSubject())
                .filter(user -> stillValid(user, jwt))
                .filterWhen(user -> sessionLive(sessions, jwt))
                .map(user -> new CallerAuthentication(new Caller(user.id(), user.orgId(), user.email(),
                        user.roles())))
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException("User disabled or token revoked"))));
        return manager;
    }

    private static ReactiveAuthenticationManager providerTokens(OidcProperties oidc, OidcUsers oidcUsers) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withIssuerLocation(oidc.issuerUri()).build();
        decoder.setJwtValidator(validators(oidc.issuerUri(), oidc.audience()));
        JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(decoder);
        manager.setJwtAuthenticationConverter(jwt -> oidcUsers.caller(jwt).map(CallerAuthentication::new));
        return manager;
    }

    /** What {@link #notExpired} says of an expired token, so that it can be told from a forged or revoked one. */
    static final String EXPIRED = "wardfleet:token-expired";
    /** The clock skew Spring's own timestamp check allows. */
    static final Duration SKEW = Duration.ofSeconds(60);

    /** A genuine token past its expiry becomes {@link ExpiredBearerToken} ({@code token-expired}); others unchanged. */
    static ReactiveAuthenticationManager expiryTold(ReactiveAuthenticationManager manager) {
        return token -> manager.authenticate(token).onErrorMap(BearerTokenAuthentication::expired,
                e -> new ExpiredBearerToken("Token expired", e));
    }

    private static boolean expired(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JwtValidationException invalid
                    && invalid.getErrors().stream().anyMatch(e -> EXPIRED.equals(e.getDescription()))) {
                return true;
            }
        }
        return false;
    }

    /** Runs after the signature check: only a genuine token is ever called expired. */
    private static OAuth2TokenValidatorResult notExpired(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt != null && Instant.now().minus(SKEW).isAfter(expiresAt)
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", EXPIRED, null))
                : OAuth2TokenValidatorResult.success();
    }

    static OAuth2TokenValidator<Jwt> validators(String issuer, String audience) {
        OAuth2TokenValidator<Jwt> base = new DelegatingOAuth2TokenValidator<>(
                BearerTokenAuthentication::notExpired, JwtValidators.createDefaultWithIssuer(issuer));
        if (audience == null || audience.isBlank()) {
            return base;
        }
        return new DelegatingOAuth2TokenValidator<>(base,
                new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(audience)));
    }

    /** A token minted for a browser session ({@code sid}) is good only while that session is live. */
    private static Mono<Boolean> sessionLive(ObjectProvider<BrowserSessionCheck> sessions, Jwt jwt) {
        String sessionId = jwt.getClaimAsString(TokenIssuer.SESSION);
        if (sessionId == null) {
            return Mono.just(true);
        }
        BrowserSessionCheck check = sessions.getIfAvailable();
        return check == null ? Mono.just(false) : check.live(sessionId);
    }

    /** {@code iat_ms}: iat has second precision, too coarse to order a token against a reset in the same second. */
    private static boolean stillValid(StoredUser user, Jwt jwt) {
        if (user.disabled()) {
            return false;
        }
        if (user.tokensValidAfter() == null) {
            return true;
        }
        Object issuedMillis = jwt.getClaim(TokenIssuer.ISSUED_AT_MILLIS);
        return issuedMillis instanceof Number ms && ms.longValue() >= user.tokensValidAfter().toEpochMilli();
    }

    /** Role names from a provider claim: unknown names are ignored, never guessed. */
    static Set<Role> roles(Object claim, String prefix) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (claim instanceof java.util.Collection<?> values) {
            for (Object value : values) {
                String name = String.valueOf(value).toUpperCase(Locale.ROOT);
                String stripped = prefix != null && !prefix.isEmpty() && name.startsWith(prefix.toUpperCase(Locale.ROOT))
                        ? name.substring(prefix.length()) : name;
                for (Role role : Role.values()) {
                    if (role.name().equals(stripped)) {
                        roles.add(role);
                    }
                }
            }
        }
        return roles;
    }

}
