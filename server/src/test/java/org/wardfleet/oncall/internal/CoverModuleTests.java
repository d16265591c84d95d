package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.ActiveProfiles;
import org.wardfleet.identity.Tenants;
import org.wardfleet.oncall.OnCallSchedules;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;

/**
 * On-call and what it depends on (messaging and, through it, device, compliance, policy, push; identity, audit),
 * without enrollment, WCTP, the console or the clinician app: an override puts the person covering on call for exactly its window, in the schedule that routes pages,
 * and the change is in the organisation's audit chain; deleting it gives the rota its shift back.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
class CoverModuleTests {

    @Autowired Tenants tenants;
    @Autowired OnCallStore store;
    @Autowired Covers covers;
    @Autowired OnCallSchedules schedules;
    @Autowired MongoDatabase db;
    @Autowired ApplicationContext context;

    @Test
    void bootsWithoutEnrollmentOrWctp() {
        assertThat(context.getBeanNamesForType(OnCallSchedules.class)).isNotEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.enrollment.Invitations.class)).isEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.wctp.WctpSenderAdministration.class)).isEmpty();
    }

    @Test
    void anOverridePutsItsPersonOnCallForItsWindowAndIsAudited() {
        String suffix = UUID.randomUUID().toString();
        Tenants.NewTenant tenant = tenants.create("Ward " + suffix, "lead-" + suffix + "@ward.test",
                "correct-horse-battery-staple-42").block();
        Caller lead = new Caller(tenant.adminUserId(), tenant.orgId(), null, Set.of(Role.ADMIN));
        OnCallStore.Role icu = store.insert(new OnCallStore.Role(UUID.randomUUID().toString(), tenant.orgId(), "ICU",
                ZoneOffset.UTC, List.of(), new Rota(List.of("rota-nurse"), LocalDateTime.of(2026, 1, 1, 8, 0), "P1D",
                        ZoneOffset.UTC), null)).block();
        Instant from = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Instant to = from.plus(8, ChronoUnit.HOURS);

        OnCallStore.StoredCover override = covers.add(lead, icu.id(), "OVERRIDE", lead.userId(), from.toString(),
                to.toString()).block();

        assertThat(onCallAt(lead, icu, from.plus(4, ChronoUnit.HOURS))).containsExactly(lead.userId());
        assertThat(onCallAt(lead, icu, to.plus(1, ChronoUnit.HOURS))).containsExactly("rota-nurse");
        assertThat(auditActions(tenant.orgId())).contains("oncall.override");

        covers.delete(lead, icu.id(), override.id()).block();

        assertThat(onCallAt(lead, icu, from.plus(4, ChronoUnit.HOURS))).containsExactly("rota-nurse");
        assertThat(auditActions(tenant.orgId())).contains("oncall.override.delete");
    }

    private List<String> onCallAt(Caller caller, OnCallStore.Role role, Instant at) {
        return schedules.schedule(caller, role.id(), at.minus(1, ChronoUnit.HOURS), at.plus(1, ChronoUnit.HOURS))
                .block().segments().stream()
                .filter(s -> !s.start().isAfter(at) && s.end().isAfter(at))
                .flatMap(s -> s.people().stream()).map(OnCallSchedules.Person::id).toList();
    }

    private List<String> auditActions(String orgId) {
        return Flux.from(db.getCollection("audit_entries").find(Filters.eq("orgId", orgId)))
                .map(d -> d.getString("action")).collectList().block();
    }
}
