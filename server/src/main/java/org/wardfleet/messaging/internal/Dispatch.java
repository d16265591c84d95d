package org.wardfleet.messaging.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.compliance.DeviceAccess;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Devices;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.MessagingProblems;
import org.wardfleet.messaging.PageSending;
import org.wardfleet.messaging.Priority;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.push.DeviceWake;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Dispatch's first half: a message, page, broadcast or notice written once per sender and idempotency key, then
 * handed to {@link FanOut}; and what escalation does to a page it has sent (more recipients, re-alerts).
 */
@Component
class Dispatch {

    private final Conversations conversations;
    private final FanOut fanOut;
    private final MessageStore messages;
    private final MessageCrypto crypto;
    private final Devices devices;
    private final DeviceAccess access;
    private final DeviceWake wake;
    private final UserDirectory users;
    private final Clock clock;

    Dispatch(Conversations conversations, FanOut fanOut, MessageStore messages, MessageCrypto crypto, Devices devices,
            DeviceAccess access, DeviceWake wake, UserDirectory users, Clock clock) {
        this.conversations = conversations;
        this.fanOut = fanOut;
        this.messages = messages;
        this.crypto = crypto;
        this.devices = devices;
        this.access = access;
        this.wake = wake;
        this.users = users;
        this.clock = clock;
    }

    /** A reply typed on the device: only from an ACTIVE device its user bound and its compliance allows. */
    Mono<Message> sendFromDevice(String orgId, String deviceId, String userId, String conversationId,
            String idempotencyKey, Draft draft) {
        return devices.find(orgId, deviceId)
                .flatMap(Conversations::bound)
                .then(access.decide(orgId, deviceId))
                .filter(DeviceAccess.Decision::allowed)
                .switchIfEmpty(Mono.error(() -> ProblemType.FORBIDDEN.exception(
                        "This device may not send messages now (compliance)")))
                .then(send(orgId, userId, conversationId, idempotencyKey, draft));
    }

    Mono<Message> send(String orgId, String senderId, String conversationId, String idempotencyKey,
            Draft draft) {
        return send(orgId, senderId, conversationId, idempotencyKey, draft, null);
    }

    /** {@code addressed}: who receives it (a page may name its own sender); null: every participant but the sender. */
    private Mono<Message> send(String orgId, String senderId, String conversationId, String idempotencyKey,
            Draft draft, List<String> addressed) {
        return conversations.participant(orgId, conversationId, senderId)
                .flatMap(conversation -> store(orgId, senderId, Mono.just(conversation.id()), idempotencyKey, draft,
                        fanOut.eligibleDevices(orgId, addressed != null ? addressed
                                : conversation.participants().stream().filter(p -> !p.equals(senderId)).toList())));
    }

    /**
     * The message stored once and fanned out. Its conversation, its recipients' eligible devices and the encryption of
     * its text do not depend on each other and are made side by side: a page's first copy goes out several database
     * round trips sooner than if they ran one after another (issue 24, page to one device).
     */
    private Mono<Message> store(String orgId, String senderId, Mono<String> conversationId, String idempotencyKey,
            Draft draft, Mono<Map<String, List<Device>>> eligibleDevices) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = UUID.randomUUID().toString();
        return Mono.zip(conversationId, eligibleDevices, crypto.encrypt(orgId, id, draft.text()))
                .flatMap(t -> {
                    Map<String, List<Device>> eligible = t.getT2();
                    Map<String, Addressee> recipients = new LinkedHashMap<>();
                    eligible.forEach((userId, list) -> recipients.put(userId, Addressee.sent(userId, now, list.size())));
                    return messages.insertOnce(new Message(id, orgId, t.getT1(), senderId, idempotencyKey, t.getT3(),
                                    draft.priority(), draft.requiresAck(), draft.patientRef(), draft.replyTo(), now,
                                    null, null, recipients, draft.drill(), draft.choices()),
                                    now.plus(FanOut.FAN_OUT_LEASE))
                            .flatMap(stored -> stored.id().equals(id)
                                    ? fanOut.fanOut(stored, eligible, false).then(messages.fannedOut(orgId, id))
                                            .thenReturn(stored)
                                    // a retried send: the first attempt paged everyone — or stopped half-way
                                    : fanOut.fannedOut(stored).thenReturn(stored));
                });
    }

    /**
     * A page: a new conversation with the recipients, sent once per sender and key (a retried page answers once the
     * first attempt's fan-out is complete). The sender is a recipient when named among them.
     */
    Mono<String> page(String orgId, String senderId, List<String> recipients, String text, Priority priority,
            List<String> choices, String idempotencyKey) {
        // the idempotency look-up and then the conversation, while the devices are read (they change nothing): the
        // devices no longer wait for the look-up — one round trip fewer before the first copy (issue 24)
        Mono<String> conversation = messages.messageByKey(orgId, senderId, idempotencyKey)
                .flatMap(sent -> Mono.<String>error(new AlreadySent(sent)))
                .switchIfEmpty(Mono.defer(() -> conversations.startWith(orgId, senderId, recipients,
                        recipients.isEmpty() ? 2 : 1).map(Conversation::id)));
        return store(orgId, senderId, conversation, idempotencyKey, Draft.page(text, priority, choices, false),
                        // as send() addresses it: the named people, or (from the system) every participant but it
                        fanOut.eligibleDevices(orgId, new LinkedHashSet<>(recipients).stream()
                                .filter(r -> !Conversations.SYSTEM.equals(senderId) || !r.equals(senderId)).toList()))
                .map(Message::id)
                // a retried page answers once the first attempt's fan-out is complete
                .onErrorResume(AlreadySent.class, e -> fanOut.fannedOut(e.sent).thenReturn(e.sent.id()));
    }

    /** The page's key was used before: that message is the answer (ends the side-by-side reads of a new one). */
    private static final class AlreadySent extends RuntimeException {
        final Message sent;

        AlreadySent(Message sent) {
            super("already sent", null, false, false);
            this.sent = sent;
        }
    }

    /** A broadcast: one message to many people, one batched fan-out; {@code choices} are the answers offered. */
    Mono<String> broadcast(String orgId, String senderId, List<String> userIds, String text, Priority priority,
            List<String> choices, boolean drill, String idempotencyKey) {
        List<String> people = new ArrayList<>(new LinkedHashSet<>(userIds));
        people.remove(senderId);
        if (people.isEmpty()) {
            return Mono.error(MessagingProblems.CONVERSATION_INVALID.exception("Nobody in the audience"));
        }
        List<String> participants = new ArrayList<>(people);
        participants.add(senderId);
        return messages.messageByKey(orgId, senderId, idempotencyKey)
                .flatMap(sent -> fanOut.fannedOut(sent).thenReturn(sent.id()))
                .switchIfEmpty(Mono.defer(() -> conversations.audience(orgId, senderId, participants)
                        .flatMap(c -> send(orgId, senderId, c.id(), idempotencyKey,
                                Draft.page(text, priority, choices, drill)))
                        .map(Message::id)));
    }

    Mono<Void> notice(String orgId, String senderId, List<String> userIds, String text, String key) {
        String sender = senderId == null ? Conversations.SYSTEM : senderId;
        List<String> others = userIds.stream().filter(u -> !u.equals(sender)).distinct().toList();
        if (others.isEmpty()) {
            return Mono.empty();
        }
        return page(orgId, sender, others, text, Priority.STAT, List.of(), key).then();
    }

    Mono<PageSending.Sent> resume(String orgId, String senderId, String idempotencyKey) {
        return messages.messageByKey(orgId, senderId, idempotencyKey)
                .flatMap(m -> fanOut.finishFanOut(m).map(complete -> new PageSending.Sent(m.id(), m.sentAt(),
                        List.copyOf(m.recipients().keySet()), complete)));
    }

    Mono<PageSending.Added> addRecipients(String orgId, String messageId, List<String> userIds) {
        return messages.message(orgId, messageId).flatMap(message -> {
            List<String> named = List.copyOf(new LinkedHashSet<>(userIds));
            List<String> already = named.stream().filter(u -> message.recipients().containsKey(u)).toList();
            return Flux.fromIterable(named).filter(u -> !message.recipients().containsKey(u))
                    .concatMap(u -> users.find(orgId, u).map(x -> x.disabled() ? "not an active user" : "")
                            .defaultIfEmpty("not a user of the organisation").map(why -> Map.entry(u, why)))
                    .collectList()
                    .flatMap(checked -> {
                        List<String> fresh = checked.stream().filter(e -> e.getValue().isEmpty())
                                .map(Map.Entry::getKey).toList();
                        Map<String, String> skipped = new LinkedHashMap<>();
                        checked.stream().filter(e -> !e.getValue().isEmpty())
                                .forEach(e -> skipped.put(e.getKey(), e.getValue()));
                        PageSending.Added added = new PageSending.Added(fresh, already, skipped);
                        if (fresh.isEmpty()) {
                            return Mono.just(added);
                        }
                        return fanOut.eligibleDevices(orgId, fresh)
                                .flatMap(eligible -> messages.addRecipients(orgId, messageId, eligible.entrySet()
                                                .stream().map(e -> Addressee.sent(e.getKey(), clock.instant(),
                                                        e.getValue().size())).toList())
                                        .then(fanOut.fanOut(message, eligible, false)))
                                .thenReturn(added);
                    });
        });
    }

    Mono<Void> realert(String orgId, String messageId) {
        return messages.message(orgId, messageId)
                .flatMapMany(m -> Flux.fromIterable(m.recipients().values())
                        .filter(r -> !r.state().answered())
                        .concatMap(r -> devices.reachableFor(orgId, r.userId())))
                .filter(d -> d.state() == DeviceState.ACTIVE && d.boundToUser())
                .map(d -> new DeviceWake.WakeTarget(d.id(), d.platform().wire(), d.pushTokens()))
                .collectList()
                .flatMap(targets -> wake.wake(orgId, targets, "message", true))
                .then();
    }
}
