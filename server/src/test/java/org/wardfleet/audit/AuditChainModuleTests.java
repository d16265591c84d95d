package org.wardfleet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.ActiveProfiles;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * The audit module without the features that audit: what a security officer relies on — a chain nobody touched
 * verifies, an entry edited in the database afterwards is found and named, and one organisation's chain holds only
 * its own entries. Audit injects no platform bean (only the driver, the clock and the meter registry), so the
 * platform is named; the platform's security chain needs a {@code DeviceAuthenticator}, which {@code device} brings
 * (with pki, identity and events, named too: extra modules come without their own dependencies). Enrollment, policy, compliance, messaging, on-call, WCTP and the console stay out.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = {"platform", "device", "pki", "identity", "events"})
@ActiveProfiles("test")
class AuditChainModuleTests {

    @Autowired AuditLog audit;
    @Autowired AuditTrail trail;
    @Autowired MongoDatabase db;
    @Autowired ApplicationContext context;

    @Test
    void bootsWithoutTheFeaturesThatAudit() {
        assertThat(context.getBeanNamesForType(AuditLog.class)).isNotEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.enrollment.Invitations.class)).isEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.policy.Policies.class)).isEmpty();
    }

    @Test
    void anUntouchedChainVerifiesAndAnEditedEntryIsNamed() {
        String org = "org-" + UUID.randomUUID();
        Caller officer = new Caller("officer-1", org, null, Set.of(Role.SECURITY));
        for (String action : new String[] {"user.create", "user.roles", "user.disable"}) {
            audit.record(AuditEvent.of(org, Actor.user("admin-1"), action, "user-7", Outcome.SUCCESS)).block();
        }

        ChainVerification intact = trail.verify(officer).block();
        assertThat(intact.valid()).isTrue();
        assertThat(intact.entries()).isEqualTo(3);

        // someone with database access hides that the account was disabled
        Document edited = Mono.from(db.getCollection("audit_entries").findOneAndUpdate(
                Filters.and(Filters.eq("orgId", org), Filters.eq("action", "user.disable")),
                Updates.set("action", "user.enable"))).block();

        ChainVerification broken = trail.verify(officer).block();
        assertThat(broken.valid()).isFalse();
        assertThat(broken.firstBrokenSeq()).isEqualTo(edited.getLong("seq"));
        assertThat(broken.reason()).contains("does not match");
    }

    @Test
    void anotherOrganisationsEntriesAreNotInTheChainVerified() {
        String mine = "org-" + UUID.randomUUID();
        String theirs = "org-" + UUID.randomUUID();
        audit.record(AuditEvent.of(mine, Actor.user("admin-1"), "user.create", "u-1", Outcome.SUCCESS)).block();
        audit.record(AuditEvent.of(theirs, Actor.user("admin-2"), "user.create", "u-2", Outcome.SUCCESS)).block();
        audit.record(AuditEvent.of(theirs, Actor.user("admin-2"), "user.create", "u-3", Outcome.SUCCESS)).block();

        ChainVerification verified = trail.verify(new Caller("officer-1", mine, null, Set.of(Role.SECURITY)))
                .block();

        assertThat(verified.valid()).isTrue();
        assertThat(verified.entries()).isEqualTo(1);
    }
}
