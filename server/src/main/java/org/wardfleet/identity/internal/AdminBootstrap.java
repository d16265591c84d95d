package org.wardfleet.identity.internal;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.identity.Tenants;

import reactor.core.publisher.Mono;

/**
 * First start with no users: create the first organisation and its administrator. Runs before the instance reports
 * ready; exactly one instance wins the claim when several start together on an empty database.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final BootstrapProperties properties;
    private final UserRepository users;
    private final OrganisationRepository organisations;
    private final Tenants tenants;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final AuditLog audit;

    AdminBootstrap(BootstrapProperties properties, UserRepository users, OrganisationRepository organisations,
            Tenants tenants, Clock clock, PasswordHasher hasher, AuditLog audit) {
        this.properties = properties;
        this.users = users;
        this.organisations = organisations;
        this.tenants = tenants;
        this.clock = clock;
        this.hasher = hasher;
        this.audit = audit;
    }

    @Override
    public void run(ApplicationArguments args) {
        // startup thread, before readiness: blocking is intended
        bootstrap().then(Mono.defer(this::resetAdminPassword)).block(Duration.ofMinutes(1));
    }

    /**
     * A lost administrator password, when no other administrator can reset it: whoever can start the server with
     * this setting already controls its host and data directory, so this grants nothing new; it is audited, prints the
     * new password once to the console (never to the log) and ends every session of that account.
     */
    Mono<Void> resetAdminPassword() {
        String email = properties.resetAdminPassword();
        if (email == null || email.isBlank()) {
            return Mono.empty();
        }
        boolean generated = properties.adminPassword() == null || properties.adminPassword().isBlank();
        String password = generated ? PasswordHasher.generate() : properties.adminPassword();
        return users.findByEmailForSignIn(email.strip())
                .filter(user -> user.roles().contains(org.wardfleet.platform.security.Role.ADMIN))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException(
                        "wardfleet.bootstrap.reset-admin-password: no administrator " + email.strip())))
                .flatMap(user -> hasher.hash(password)
                        .flatMap(hash -> users.setPassword(user.orgId(), user.id(), hash, clock.instant()))
                        .then(audit.record(AuditEvent.of(user.orgId(), Actor.system(), "user.password-reset",
                                user.id(), Outcome.SUCCESS).withDetail("via", "bootstrap.reset-admin-password")))
                        .doOnSuccess(done -> {
                            log.warn("Reset the password of administrator {} at start-up "
                                    + "(wardfleet.bootstrap.reset-admin-password): remove that setting now", email);
                            if (generated) {
                                printOnce(user.email(), password, "administrator password reset");
                            }
                        }));
    }

    Mono<Void> bootstrap() {
        return users.anyUserExists()
                .flatMap(exists -> exists ? Mono.just(false) : organisations.claimBootstrap(clock.instant()))
                .filter(Boolean::booleanValue)
                .flatMap(claimed -> createFirstAdmin());
    }

    private Mono<Void> createFirstAdmin() {
        boolean generated = properties.adminPassword() == null || properties.adminPassword().isBlank();
        String password = generated ? PasswordHasher.generate() : properties.adminPassword();
        return tenants.create(properties.organisationName(), properties.adminEmail(), password)
                .doOnNext(tenant -> {
                    log.info("Created organisation '{}' ({}) with administrator {}", properties.organisationName(),
                            tenant.orgId(), properties.adminEmail());
                    if (generated) {
                        printOnce(properties.adminEmail(), password, "administrator account created");
                    }
                })
                .then();
    }

    /** To the console only, never to the log: log files are shipped and kept, the console is not. */
    private static void printOnce(String email, String password, String what) {
        System.out.println();
        System.out.println("==================================================================");
        System.out.println(" Wardfleet: " + what);
        System.out.println("   email:    " + email);
        System.out.println("   password: " + password);
        System.out.println(" This password is shown once and never again. Store it now.");
        System.out.println("==================================================================");
        System.out.println();
    }
}
