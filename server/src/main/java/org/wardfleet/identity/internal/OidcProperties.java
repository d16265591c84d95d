package org.wardfleet.identity.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.oidc.*}: accept bearer tokens from a hospital identity provider. The organisation comes from
 * {@code orgClaim} or, if the token lacks it, {@code defaultOrgId}; roles from {@code rolesClaim} (names of
 * {@code ADMIN}, {@code SECURITY}, {@code CLINICIAN}, case-insensitive, optional {@code rolePrefix} stripped).
 */
@ConfigurationProperties("wardfleet.oidc")
record OidcProperties(
        String issuerUri,
        String audience,
        @DefaultValue("wardfleet_org") String orgClaim,
        String defaultOrgId,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("") String rolePrefix,
        @DefaultValue("true") boolean autoProvision) {

    boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }
}
