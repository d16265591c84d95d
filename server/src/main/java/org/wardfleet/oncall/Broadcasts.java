package org.wardfleet.oncall;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * Mass notification (the API's {@code /api/v1/broadcasts} and the console): a broadcast to everybody, to whoever is on
 * call for a role now, or to a group, with optional answers and a live roll-up. A drill is shown as a drill on every
 * device and its roll-up is kept like any other. Who may send: see {@link #mayBroadcastToAnyone(Caller)}.
 */
public interface Broadcasts {

    int MAX_CHOICES = 5;

    /** Sends (refused with {@code broadcast-forbidden} when not permitted); returns the broadcast's id. */
    Mono<String> send(Caller caller, NewBroadcast broadcast, String idempotencyKey);

    /** The live roll-up: for the sender and any recipient, and (counts and people, never text) ADMIN and SECURITY. */
    Mono<RollupView> rollup(Caller caller, String id);

    /** Broadcasts and drills newest first: the organisation's for ADMIN and SECURITY, one's own for anyone else. */
    Mono<BroadcastList> list(Caller caller, Filter filter, int page, int size);

    /** The organisation's on-call roles a broadcast may go to, id to name, by name. */
    Mono<Map<String, String>> roles(Caller caller);

    /**
     * Whether {@code caller} may broadcast to everyone, an on-call role or any group: {@code INCIDENT_LEAD} (a role an
     * ADMIN grants) or {@code ADMIN}. Others may at most reach a group of their own, where their organisation allows.
     */
    static boolean mayBroadcastToAnyone(Caller caller) {
        return caller.has(Role.INCIDENT_LEAD) || caller.has(Role.ADMIN);
    }

    record Audience(Boolean all, String roleId, String groupId) {
    }

    record NewBroadcast(@NotNull @Valid Audience audience, @NotNull @Size(min = 1, max = 4096) String text,
            @NotNull @org.wardfleet.messaging.PriorityWord String priority,
            @Size(max = MAX_CHOICES) List<@Size(min = 1, max = 64) String> choices, Boolean drill) {

        @Override
        public String toString() {
            return "NewBroadcast[" + audience + ", " + priority + ", drill=" + drill + ", text=***]";
        }
    }

    record Filter(Boolean drill, String priority, String senderId) {
    }

    record Counts(int recipients, int delivered, int read, int acknowledged) {
    }

    /** A person with their display name. */
    @Schema(name = "NamedPerson")
    record Person(String id, String displayName) {
    }

    /** {@code pendingPeople}: {@code pending} with names, in the same order. */
    record RollupView(String id, boolean drill, Counts counts, Map<String, Integer> choices, List<String> pending,
            List<Person> pendingPeople) {
    }

    /** {@code audience.type}: {@code all}, {@code role} or {@code group}; {@code name}: the role's name. */
    @Schema(name = "BroadcastAudience")
    record AudienceView(String type, String id, String name) {
    }

    record BroadcastSummary(String id, String senderId, String senderName, AudienceView audience, String priority,
            boolean drill, int recipients, List<String> choices, Instant sentAt) {
    }

    record BroadcastList(List<BroadcastSummary> items, int page, int size, long total) {
    }
}
