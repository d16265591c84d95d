package org.wardfleet.identity.internal;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
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

    AdminBootstrap(BootstrapProperties properties, UserRepository users, OrganisationRepository organisations,
            Tenants tenants, Clock clock) {
        this.properties = properties;
        this.users = users;
        this.organisations = organisations;
        this.tenants = tenants;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        // startup thread, before readiness: blocking is intended
        bootstrap().block(Duration.ofMinutes(1));
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
                        printOnce(password);
                    }
                })
                .then();
    }

    /** To the console only, never to the log: log files are shipped and kept, the console is not. */
    private void printOnce(String password) {
        System.out.println();
        System.out.println("==================================================================");
        System.out.println(" Wardfleet first start: administrator account created");
        System.out.println("   email:    " + properties.adminEmail());
        System.out.println("   password: " + password);
        System.out.println(" This password is shown once and never again. Store it now.");
        System.out.println("==================================================================");
        System.out.println();
    }
}
