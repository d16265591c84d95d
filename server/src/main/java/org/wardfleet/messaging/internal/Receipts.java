package org.wardfleet.messaging.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.Devices;
import org.wardfleet.messaging.MessagingProblems;
import org.wardfleet.messaging.BroadcastSending;
import org.wardfleet.messaging.PageReceipts;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Receipts: what a recipient's devices and desktop sessions say of a message (DELIVERED, READ, an answer), each only
 * a move {@link ReceiptState#canMoveTo} allows, audited; recall; and what receipts add up to (states, a page's
 * timeline, a broadcast's roll-up, the recipients the pager fallback still owes).
 */
@Component
class Receipts {

    private final MessageStore messages;
    private final InboxStore inboxes;
    private final Conversations conversations;
    private final DeliveryReceipts deliveries;
    private final AnswerReceipts answers;
    private final Devices devices;
    private final UserSignals signals;
    private final AuditLog audit;
    private final Clock clock;

    Receipts(MessageStore messages, InboxStore inboxes, Conversations conversations, DeliveryReceipts deliveries,
            AnswerReceipts answers, Devices devices, UserSignals signals, AuditLog audit, Clock clock) {
        this.messages = messages;
        this.inboxes = inboxes;
        this.conversations = conversations;
        this.deliveries = deliveries;
        this.answers = answers;
        this.devices = devices;
        this.signals = signals;
        this.audit = audit;
        this.clock = clock;
    }

    /** A person opening a message (desktop): a recipient who had not received it yet now has. */
    Mono<Message> open(String orgId, String messageId, String userId) {
        return conversations.visible(orgId, messageId, userId).flatMap(m -> {
            Addressee me = m.recipients().get(userId);
            if (me == null || !me.state().canMoveTo(ReceiptState.DELIVERED)) {
                return Mono.just(m);
            }
            return answers.advance(orgId, messageId, userId, ReceiptState.DELIVERED, null, null, clock.instant())
                    .flatMap(answer -> audit.record(AuditEvent.of(orgId, Actor.user(userId), "message.delivered",
                            messageId, Outcome.SUCCESS)).thenReturn(answer))
                    .defaultIfEmpty(m);
        });
    }

    /** Recall by its sender: only while no recipient has read it. */
    Mono<Message> recall(String orgId, String messageId, String senderId) {
        return conversations.visible(orgId, messageId, senderId)
                .filter(m -> m.senderId().equals(senderId))
                .switchIfEmpty(Mono.error(() -> ProblemType.FORBIDDEN.exception("Only the sender can recall")))
                .flatMap(m -> messages.recall(orgId, messageId, senderId, List.copyOf(m.recipients().keySet()),
                        clock.instant()))
                .switchIfEmpty(Mono.error(() -> MessagingProblems.RECALL_TOO_LATE.exception(
                        "A recipient has already read it")))
                .flatMap(m -> audit.record(AuditEvent.of(orgId, Actor.user(senderId), "message.recall", messageId,
                        Outcome.SUCCESS)).thenReturn(m))
                // open screens take it away at once (devices learn it at their next fetch, as before)
                .flatMap(m -> signals.publish(m.recipients().keySet().stream().map(userId -> new UserSignals.Signal(
                        orgId, userId, "recalled", messageId)).toList()).thenReturn(m));
    }

    /** The user's copy reached this device (a fetch answered, or a pushed copy confirmed): SENT → DELIVERED. */
    Mono<Void> delivered(String orgId, String deviceId, String userId, String messageId) {
        return deliveries.delivered(orgId, messageId, userId, clock.instant())
                .filter(moved -> moved)
                .flatMap(moved -> audit.record(AuditEvent.of(orgId, Actor.device(deviceId), "message.delivered",
                        messageId, Outcome.SUCCESS)))
                .then();
    }

    /** A receipt from the person's desktop session (no device involved). */
    Mono<Message> userReceipt(String orgId, String userId, String messageId, ReceiptState state,
            String reason) {
        return userReceipt(orgId, userId, messageId, state, reason, null);
    }

    Mono<Message> userReceipt(String orgId, String userId, String messageId, ReceiptState state,
            String reason, String choice) {
        return conversations.visible(orgId, messageId, userId)
                .filter(m -> m.recipients().containsKey(userId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No message %s for you", messageId)))
                .flatMap(m -> validChoice(m, choice))
                .flatMap(m -> answers.advance(orgId, messageId, userId, state, reason, choice, clock.instant()))
                .switchIfEmpty(Mono.error(() -> MessagingProblems.RECEIPT_INVALID.exception(
                        "%s does not follow the message's current state (or it was recalled)", state)))
                .flatMap(answer -> audit.record(AuditEvent.of(orgId, Actor.user(userId),
                                "message." + state.name().toLowerCase(java.util.Locale.ROOT), messageId,
                                Outcome.SUCCESS))
                        .thenReturn(answer));
    }

    /** A receipt from a device its user bound, for a message that was queued for it. */
    Mono<Message> receipt(String orgId, String deviceId, String messageId, ReceiptState state,
            String reason, String choice) {
        return devices.find(orgId, deviceId)
                .flatMap(Conversations::bound)
                .filterWhen(device -> inboxes.delivered(orgId, messageId, deviceId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No message %s for this device",
                        messageId)))
                // the choices without the recipients: a broadcast's document holds 10,000 of them
                .flatMap(device -> messages.content(orgId, messageId).flatMap(m -> validChoice(m, choice))
                        .thenReturn(device))
                .flatMap(device -> answers.advance(orgId, messageId, device.assignedUserId(), state, reason, choice,
                                clock.instant())
                        .switchIfEmpty(Mono.error(() -> MessagingProblems.RECEIPT_INVALID.exception(
                                "%s does not follow the message's current state (or it was recalled)", state)))
                        .flatMap(answer -> audit.record(AuditEvent.of(orgId, Actor.device(deviceId),
                                "message." + state.name().toLowerCase(java.util.Locale.ROOT), messageId,
                                Outcome.SUCCESS))
                                .thenReturn(answer)));
    }

    private static Mono<Message> validChoice(Message m, String choice) {
        return choice == null || m.choices().contains(choice) ? Mono.just(m)
                : Mono.error(MessagingProblems.RECEIPT_INVALID.exception("%s is not one of the message's choices",
                        choice));
    }

    Mono<Void> acknowledge(String orgId, String messageId, String userId) {
        return userReceipt(orgId, userId, messageId, ReceiptState.ACKNOWLEDGED, null).then();
    }

    Mono<Map<String, ReceiptState>> states(String orgId, String messageId) {
        return messages.message(orgId, messageId).map(m -> {
            Map<String, ReceiptState> states = new LinkedHashMap<>();
            m.recipients().forEach((u, r) -> states.put(u, r.state()));
            return states;
        });
    }

    /** Recipient → [state, ISO instant it was reached]: a page's timeline. */
    Mono<Map<String, List<String>>> timeline(String orgId, String messageId) {
        return messages.message(orgId, messageId).map(m -> {
            Map<String, List<String>> receipts = new LinkedHashMap<>();
            m.recipients().forEach((u, r) -> receipts.put(u, java.util.Arrays.asList(r.state().name(),
                    r.at() == null ? null : r.at().toString())));
            return receipts;
        });
    }

    Mono<List<PageReceipts.Receipt>> recipientReceipts(String orgId, String messageId) {
        return messages.message(orgId, messageId).map(m -> m.recipients().values().stream()
                .map(r -> new PageReceipts.Receipt(r.userId(), r.state(), r.at(), r.choice())).toList());
    }

    Flux<PageReceipts.OpenRecipient> openRecipients(Instant sentAfter) {
        return messages.openPages(sentAfter)
                .filter(m -> m.priority().alerts() && !m.drill())
                .flatMapIterable(m -> m.recipients().values().stream()
                        .filter(r -> !r.state().answered())
                        .map(r -> new PageReceipts.OpenRecipient(m.orgId(), m.id(), r.userId(), m.priority(), m.sentAt(),
                                r.state())).toList());
    }

    /** A broadcast's live roll-up, for its sender or a recipient. */
    Mono<BroadcastSending.Rollup> rollup(String orgId, String messageId, String askingUserId) {
        return messages.message(orgId, messageId)
                .filter(m -> m.senderId().equals(askingUserId) || m.recipients().containsKey(askingUserId))
                .map(m -> {
                    int delivered = 0;
                    int read = 0;
                    int acknowledged = 0;
                    Map<String, Integer> chosen = new LinkedHashMap<>();
                    m.choices().forEach(c -> chosen.put(c, 0));
                    List<String> pending = new ArrayList<>();
                    for (Addressee r : m.recipients().values()) {
                        delivered += r.state().reached(ReceiptState.DELIVERED) ? 1 : 0;
                        read += r.state().reached(ReceiptState.READ) ? 1 : 0;
                        acknowledged += r.state() == ReceiptState.ACKNOWLEDGED ? 1 : 0;
                        if (r.choice() != null) {
                            chosen.merge(r.choice(), 1, Integer::sum);
                        }
                        if (!r.state().answered()) {
                            pending.add(r.userId());
                        }
                    }
                    return new BroadcastSending.Rollup(m.recipients().size(), delivered, read, acknowledged, chosen, pending,
                            m.drill());
                });
    }
}
