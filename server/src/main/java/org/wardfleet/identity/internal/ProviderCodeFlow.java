package org.wardfleet.identity.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import org.wardfleet.platform.secrets.DataKey;
import org.wardfleet.platform.secrets.Sealer;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * OpenID Connect authorization code flow with PKCE (RFC 7636, S256) against the identity provider the API already
 * trusts. No server-side record per attempt: the PKCE verifier, the nonce and the start time travel sealed inside
 * {@code state} (AES-GCM under the data key), so only this server can read them, an attempt is good for 10 minutes,
 * and an anonymous click writes nothing to the database. The caller binds the state to the browser that started.
 */
@Component
class ProviderCodeFlow {

    static final ProblemType SIGN_IN_REFUSED = new ProblemType("sign-in-refused", HttpStatus.UNAUTHORIZED,
            "Sign-in refused");
    static final Duration VALID_FOR = Duration.ofMinutes(10);
    private static final String STATE_CONTEXT = "console-sign-in";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OidcProperties oidc;
    private final Sealer sealer;
    private final Clock clock;
    private final WebClient http = WebClient.builder()
            .codecs(c -> c.defaultCodecs().maxInMemorySize(256 * 1024)).build();
    private final Mono<Endpoints> endpoints;
    private final ReactiveJwtDecoder idTokens;

    ProviderCodeFlow(OidcProperties oidc, DataKey dataKey, Clock clock) {
        this.oidc = oidc;
        this.sealer = dataKey.sealer(STATE_CONTEXT);
        this.clock = clock;
        // discovery is fetched on first use and kept; a failed fetch is tried again on the next sign-in
        this.endpoints = oidc.browserSignIn() ? discover().cache(e -> Duration.ofHours(1), e -> Duration.ZERO,
                () -> Duration.ZERO) : Mono.error(new IllegalStateException("No identity provider configured"));
        this.idTokens = oidc.browserSignIn() ? NimbusReactiveJwtDecoder.withIssuerLocation(oidc.issuerUri()).build()
                : null;
    }

    record Endpoints(String authorization, String token) {
    }

    /** What a finished flow yields: the verified ID token. */
    record Verified(Jwt idToken) {
    }

    Mono<org.wardfleet.identity.SignIns.ProviderStart> start(URI redirectUri) {
        String verifier = random(32);
        String nonce = random(16);
        String state = sealer.seal(verifier + " " + nonce + " " + clock.instant().getEpochSecond(), STATE_CONTEXT);
        return endpoints.map(e -> new org.wardfleet.identity.SignIns.ProviderStart(UriComponentsBuilder
                .fromUriString(e.authorization())
                .queryParam("response_type", "code")
                .queryParam("client_id", oidc.clientId())
                .queryParam("redirect_uri", redirectUri.toString())
                .queryParam("scope", oidc.scopes())
                .queryParam("state", state)
                .queryParam("nonce", nonce)
                .queryParam("code_challenge", challenge(verifier))
                .queryParam("code_challenge_method", "S256")
                .encode().build().toUri(), state));
    }

    /** Redeems {@code code} and verifies the ID token it yields; {@code sign-in-refused} for anything amiss. */
    Mono<Verified> finish(String state, String code, URI redirectUri) {
        String[] parts;
        try {
            parts = sealer.open(state, STATE_CONTEXT).split(" ");
        } catch (IllegalStateException | NullPointerException e) {
            return Mono.error(SIGN_IN_REFUSED.exception("The sign-in was not started here; start again"));
        }
        Instant started = Instant.ofEpochSecond(Long.parseLong(parts[2]));
        if (clock.instant().isAfter(started.plus(VALID_FOR))) {
            return Mono.error(SIGN_IN_REFUSED.exception("The sign-in took longer than %d minutes; start again",
                    VALID_FOR.toMinutes()));
        }
        String verifier = parts[0];
        String nonce = parts[1];
        return endpoints.flatMap(e -> redeem(e, code, verifier, redirectUri))
                .flatMap(idToken -> idTokens.decode(idToken)
                        .onErrorMap(err -> SIGN_IN_REFUSED.exception("The identity provider's answer did not verify")))
                .flatMap(jwt -> checked(jwt, nonce))
                .map(Verified::new);
    }

    private Mono<Jwt> checked(Jwt jwt, String nonce) {
        OAuth2TokenValidator<Jwt> rules = new DelegatingOAuth2TokenValidator<>(
                BearerTokenAuthentication.validators(oidc.issuerUri(), oidc.clientId()),
                new JwtClaimValidator<String>("nonce", nonce::equals));
        var result = rules.validate(jwt);
        return result.hasErrors()
                ? Mono.error(SIGN_IN_REFUSED.exception("The identity provider's ID token is not for this sign-in"))
                : Mono.just(jwt);
    }

    private Mono<String> redeem(Endpoints endpoints, String code, String verifier, URI redirectUri) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "authorization_code");
        form.add("code", code);
        form.add("redirect_uri", redirectUri.toString());
        form.add("code_verifier", verifier);
        boolean confidential = oidc.clientSecret() != null && !oidc.clientSecret().isBlank();
        if (!confidential) {
            form.add("client_id", oidc.clientId());
        }
        return http.post().uri(endpoints.token())
                .headers(h -> {
                    if (confidential) {
                        h.setBasicAuth(oidc.clientId(), oidc.clientSecret(), StandardCharsets.UTF_8);
                    }
                })
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData(form))
                .retrieve()
                .bodyToMono(Map.class)
                .timeout(Duration.ofSeconds(20))
                .onErrorMap(e -> SIGN_IN_REFUSED.exception("The identity provider did not accept the sign-in"))
                .flatMap(body -> body.get("id_token") instanceof String idToken ? Mono.just(idToken)
                        : Mono.error(SIGN_IN_REFUSED.exception("The identity provider sent no ID token")));
    }

    private Mono<Endpoints> discover() {
        String issuer = oidc.issuerUri().endsWith("/") ? oidc.issuerUri().substring(0, oidc.issuerUri().length() - 1)
                : oidc.issuerUri();
        return http.get().uri(issuer + "/.well-known/openid-configuration").retrieve().bodyToMono(Map.class)
                .timeout(Duration.ofSeconds(20))
                .map(d -> new Endpoints((String) d.get("authorization_endpoint"), (String) d.get("token_endpoint")))
                .onErrorMap(e -> ProblemType.UNAVAILABLE.exception("The identity provider cannot be reached"));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
