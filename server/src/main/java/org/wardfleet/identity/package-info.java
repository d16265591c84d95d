/**
 * Who is calling: organisations (tenants), users and their roles, password sign-in with Argon2id, short-lived ES256
 * access tokens with a published JWKS, optional external OIDC tokens, and the first-start bootstrap.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity",
        allowedDependencies = {"platform :: web", "platform :: time", "platform :: mongo",
            "platform :: security", "platform :: secrets", "audit"})
package org.wardfleet.identity;
