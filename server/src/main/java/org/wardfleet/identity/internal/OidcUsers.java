package org.wardfleet.identity.internal;

import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;

/**
 * Maps an identity provider's token to a Wardfleet user of the right organisation: by email, created on first sight
 * when auto-provisioning is on. The provider's roles claim is authoritative for roles; a disabled user stays out.
 */
@Component
class OidcUsers {

    private final OidcProperties oidc;
    private final UserRepository users;
    private final AuditLog audit;
    private final Clock clock;

    OidcUsers(OidcProperties oidc, UserRepository users, AuditLog audit, Clock clock) {
        this.oidc = oidc;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    Mono<Caller> caller(Jwt jwt) {
        String orgId = jwt.hasClaim(oidc.orgClaim()) ? jwt.getClaimAsString(oidc.orgClaim()) : oidc.defaultOrgId();
        String email = jwt.getClaimAsString("email");
        Set<Role> roles = BearerTokenAuthentication.roles(jwt.getClaim(oidc.rolesClaim()), oidc.rolePrefix());
        if (orgId == null || email == null || roles.isEmpty()) {
            return Mono.error(new BadCredentialsException("Token lacks organisation, email or a known role"));
        }
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        return users.findByEmail(orgId, normalised)
                .switchIfEmpty(Mono.defer(() -> provision(orgId, normalised, jwt, roles)))
                .filter(user -> !user.disabled())
                .map(user -> new Caller(user.id(), user.orgId(), user.email(), roles))
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException("Unknown or disabled user")));
    }

    private Mono<StoredUser> provision(String orgId, String email, Jwt jwt, Set<Role> roles) {
        if (!oidc.autoProvision()) {
            return Mono.empty();
        }
        String name = jwt.hasClaim("name") ? jwt.getClaimAsString("name") : email;
        StoredUser user = new StoredUser(UUID.randomUUID().toString(), orgId, email, name, roles, null, false,
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), null);
        return users.insert(user)
                .then(audit.record(AuditEvent.of(orgId, AuditEvent.Actor.system(), "user.provision", user.id(),
                        AuditEvent.Outcome.SUCCESS).withDetail("issuer", oidc.issuerUri())))
                .thenReturn(user)
                // two first requests at once: the other one created the user
                .onErrorResume(Documents::isDuplicateKey, e -> users.findByEmail(orgId, email));
    }
}
