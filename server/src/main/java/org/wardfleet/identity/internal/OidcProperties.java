package org.wardfleet.identity.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.oidc.*}: accept bearer tokens from a hospital identity provider. The organisation comes from
 * {@code orgClaim} or, if the token lacks it, {@code defaultOrgId}; roles from {@code rolesClaim} (names of
 * {@code ADMIN}, {@code SECURITY}, {@code CLINICIAN}, case-insensitive, optional {@code rolePrefix} stripped).
 * With {@code clientId} also set, the console offers "Sign in with your organisation" (authorization code with PKCE;
 * {@code clientSecret} for a confidential client, sent with HTTP Basic; {@code scopes} asked for).
 */
@ConfigurationProperties("wardfleet.oidc")
record OidcProperties(
        String issuerUri,
        String audience,
        @DefaultValue("wardfleet_org") String orgClaim,
        String defaultOrgId,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("") String rolePrefix,
        @DefaultValue("true") boolean autoProvision,
        String clientId,
        String clientSecret,
        @DefaultValue("openid email profile") String scopes) {

    boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }

    /** The console's browser sign-in through the provider. */
    boolean browserSignIn() {
        return enabled() && clientId != null && !clientId.isBlank();
    }

    @Override
    public String toString() {
        return "OidcProperties[issuerUri=" + issuerUri + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret == null ? null : "***") + "]";
    }
}
