package org.wardfleet.messaging.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.Device;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.MessagingProblems;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Who talks with whom: conversations (started by a person, a page or a broadcast), named groups of people, and who
 * may see a message.
 */
@Component
class Conversations {

    private final ConversationStore conversations;
    private final GroupStore groups;
    private final MessageStore messages;
    private final MessageCrypto crypto;
    private final UserDirectory users;
    private final AuditLog audit;
    private final MessagingProperties properties;
    private final Clock clock;

    Conversations(ConversationStore conversations, GroupStore groups, MessageStore messages, MessageCrypto crypto,
            UserDirectory users, AuditLog audit, MessagingProperties properties, Clock clock) {
        this.conversations = conversations;
        this.groups = groups;
        this.messages = messages;
        this.crypto = crypto;
        this.users = users;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    Mono<Conversation> start(String orgId, String creator, List<String> participants) {
        return Flux.fromIterable(participants)
                .concatMap(p -> p.startsWith("role:") ? groups.byName(orgId, p.substring(5))
                        .switchIfEmpty(Mono.error(() -> MessagingProblems.CONVERSATION_INVALID.exception(
                                "No role %s", p.substring(5))))
                        .flatMapIterable(NamedGroup::members) : Mono.just(p))
                .collectList()
                .flatMap(people -> startWith(orgId, creator, people));
    }

    Mono<NamedGroup> defineGroup(String orgId, String actor, String name, List<String> members) {
        return Flux.fromIterable(new LinkedHashSet<>(members))
                .concatMap(id -> users.find(orgId, id).filter(u -> !u.disabled())
                        .switchIfEmpty(Mono.error(() -> MessagingProblems.CONVERSATION_INVALID.exception(
                                "No active user %s in your organisation", id))))
                .map(u -> u.id()).collectList()
                .flatMap(ids -> groups.save(new NamedGroup(UUID.randomUUID().toString(), orgId, name,
                        ids)))
                .flatMap(r -> audit.record(AuditEvent.of(orgId, Actor.user(actor), "messaging.role.define", r.id(),
                        Outcome.SUCCESS).withDetail("name", name)).thenReturn(r));
    }

    Flux<NamedGroup> groups(String orgId) {
        return groups.all(orgId);
    }

    /**
     * A device assigned to a person reads and writes that person's messages only once the person bound it; a shared
     * device (no person) is unaffected and simply has none.
     */
    static Mono<Device> bound(Device device) {
        return device.assignedUserId() != null && !device.boundToUser()
                ? Mono.error(MessagingProblems.DEVICE_NOT_BOUND.exception("Device %s waits for its user to approve it"
                        + " (GET /api/v1/me/devices) or to sign in on it while enrolling", device.id()))
                : Mono.just(device);
    }

    /** Wardfleet itself as a sender (gap notices, failure notices): not a user, never a recipient. */
    static final String SYSTEM = "system";

    private Mono<Conversation> startWith(String orgId, String creator, List<String> participants) {
        return startWith(orgId, creator, participants, 2);
    }

    /** {@code atLeast}: participants, the creator included (2: someone else; a page to its own sender needs 1). */
    Mono<Conversation> startWith(String orgId, String creator, List<String> participants, int atLeast) {
        LinkedHashSet<String> all = new LinkedHashSet<>(participants);
        all.add(creator);
        List<String> members = new ArrayList<>(all);
        if (SYSTEM.equals(creator)) {
            all.remove(creator);
            if (all.isEmpty() || all.size() > properties.maxParticipants()) {
                return Mono.error(MessagingProblems.CONVERSATION_INVALID.exception("No one to notify"));
            }
            members = new ArrayList<>(all);
            members.add(SYSTEM); // last, as Wardfleet's own notices have always listed it
        } else if (all.size() < atLeast || all.size() > properties.maxParticipants()) {
            return Mono.error(MessagingProblems.CONVERSATION_INVALID.exception(
                    "A conversation has 2 to %d participants, you included", properties.maxParticipants()));
        }
        List<String> stored = List.copyOf(members);
        return Flux.fromIterable(all)
                .flatMapSequential(id -> users.find(orgId, id).filter(u -> !u.disabled())
                        .switchIfEmpty(Mono.error(() -> MessagingProblems.CONVERSATION_INVALID.exception(
                                "No active user %s in your organisation", id))))
                .then(conversations.insert(new Conversation(UUID.randomUUID().toString(), orgId, stored,
                        creator, clock.instant().truncatedTo(ChronoUnit.MILLIS))));
    }

    /** The conversation, when {@code userId} takes part in it; 404 otherwise. */
    Mono<Conversation> participant(String orgId, String conversationId, String userId) {
        return conversations.conversation(orgId, conversationId)
                .filter(c -> c.participants().contains(userId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No conversation %s",
                        conversationId)));
    }

    /** A message as its sender or a recipient may see it; anyone else gets 404. */
    Mono<Message> visible(String orgId, String messageId, String userId) {
        return messages.message(orgId, messageId)
                .filter(m -> m.senderId().equals(userId) || m.recipients().containsKey(userId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No message %s", messageId)));
    }

    /** The message's text (empty once recalled or past retention). */
    Mono<String> text(Message m) {
        return m.body() == null ? Mono.empty() : crypto.decrypt(m.orgId(), m.id(), m.body());
    }

    /** The members of a named group, by id or name; empty when unknown. */
    Mono<List<String>> members(String orgId, String group) {
        return groups.all(orgId).filter(r -> r.id().equals(group) || r.name().equals(group)).next()
                .map(NamedGroup::members).defaultIfEmpty(List.of());
    }

    /**
     * A broadcast's conversation: its audience comes from the directory, rotas or groups, so there are no per-person
     * validation round trips.
     */
    Mono<Conversation> audience(String orgId, String senderId, List<String> participants) {
        return conversations.insert(new Conversation(UUID.randomUUID().toString(), orgId, participants, senderId,
                clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }
}
