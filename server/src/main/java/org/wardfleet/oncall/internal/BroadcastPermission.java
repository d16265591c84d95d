package org.wardfleet.oncall.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.util.List;

import org.bson.Document;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.oncall.Broadcasts;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Who may alert whom. A broadcast reaches phones and pagers at STAT, so any clinician once could page the whole
 * hospital. Now a broadcast — real or drill, the same rule — to everyone, to whoever is on call for a role or to a
 * group needs {@code INCIDENT_LEAD}, a role an {@code ADMIN} grants (an {@code ADMIN} may broadcast too: they can grant
 * it to themselves, audited). Other clinicians may broadcast to a group they are a member of, where their
 * organisation allows it ({@code broadcast_settings}, off until an {@code ADMIN} turns it on). Refusals are audited
 * here, where they are decided; a change of the rules by {@link AuditedBroadcastSettings}.
 */
@Component
class BroadcastPermission implements BroadcastSettings {

    static final ProblemType BROADCAST_FORBIDDEN = new ProblemType("broadcast-forbidden", HttpStatus.FORBIDDEN,
            "Broadcast not permitted");

    /** An organisation's broadcast rules; absent means the defaults. */
    record Settings(boolean membersMayBroadcastToOwnGroups) {

        static final Settings DEFAULTS = new Settings(false);
    }

    private final MongoCollection<Document> settings;
    private final AuditLog audit;
    private final Clock clock;

    BroadcastPermission(MongoDatabase db, AuditLog audit, Clock clock) {
        this.settings = db.getCollection("broadcast_settings");
        this.audit = audit;
        this.clock = clock;
    }

    /** Completes when {@code caller} may send this broadcast; {@code people} is the audience it resolved to. */
    Mono<Void> check(Caller caller, Broadcasts.Audience audience, List<String> people, boolean drill) {
        if (Broadcasts.mayBroadcastToAnyone(caller)) {
            return Mono.empty();
        }
        if (audience.groupId() == null || !people.contains(caller.userId())) {
            return refuse(caller, drill, "Broadcasting to everyone, an on-call role or a group you are not in needs"
                    + " the INCIDENT_LEAD role, which an administrator grants");
        }
        return settings(caller.orgId())
                .filter(Settings::membersMayBroadcastToOwnGroups)
                .switchIfEmpty(Mono.defer(() -> refuse(caller, drill, "Your organisation does not let members "
                        + "broadcast to their own groups; an incident lead can")))
                .then();
    }

    @Override
    public Mono<Settings> settings(String orgId) {
        return Mono.from(settings.find(and(eq("_id", orgId), eq("orgId", orgId))).first())
                .map(d -> new Settings(d.getBoolean("membersMayBroadcastToOwnGroups", false)))
                .defaultIfEmpty(Settings.DEFAULTS);
    }

    @Override
    public Mono<Settings> change(Caller caller, Settings changed) {
        String orgId = caller.requireAny(Role.ADMIN).orgId();
        Document doc = new Document("_id", orgId).append("orgId", orgId)
                .append("membersMayBroadcastToOwnGroups", changed.membersMayBroadcastToOwnGroups())
                .append("updatedBy", caller.userId()).append("updatedAt", Documents.date(clock.instant()));
        return Mono.from(settings.replaceOne(and(eq("_id", orgId), eq("orgId", orgId)), doc,
                new ReplaceOptions().upsert(true))).thenReturn(changed);
    }

    private <T> Mono<T> refuse(Caller caller, boolean drill, String why) {
        return audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        drill ? "broadcast.drill" : "broadcast.send", null, Outcome.DENIED)
                        .withDetail("reason", "not-permitted"))
                .then(Mono.error(BROADCAST_FORBIDDEN.exception(why)));
    }
}
