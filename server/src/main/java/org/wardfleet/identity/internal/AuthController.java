package org.wardfleet.identity.internal;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** Sign-in and the public keys that verify Wardfleet's access tokens. */
@RestController
class AuthController {

    private final SignIn signIn;
    private final SigningKeys keys;

    AuthController(SignIn signIn, SigningKeys keys) {
        this.signIn = signIn;
        this.keys = keys;
    }

    record Credentials(@NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 1024) String password) {

        @Override
        public String toString() {
            return "Credentials[email=" + email + ", password=***]";
        }
    }

    record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn) {

        static TokenResponse bearer(TokenIssuer.AccessToken token) {
            return new TokenResponse(token.value(), "Bearer", token.expiresInSeconds());
        }
    }

    @Operation(summary = "Sign in with email and password: an access token")
    @Problems({"401 invalid-credentials", "429 rate-limited"})
    @PostMapping("/api/v1/auth/token")
    Mono<TokenResponse> token(@Valid @RequestBody Credentials credentials) {
        return signIn.signIn(credentials.email(), credentials.password())
                .map(TokenResponse::bearer);
    }

    @Operation(summary = "The public keys that verify access tokens (JWKS)")
    @Problems(value = {"406 not-acceptable"}, usual = false)
    @GetMapping("/.well-known/jwks.json")
    Map<String, Object> jwks() {
        return keys.publicKeys().toJSONObject(true);
    }
}
