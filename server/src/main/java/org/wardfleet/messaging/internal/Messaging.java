package org.wardfleet.messaging.internal;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.compliance.DeviceAccess;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceKeys;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Devices;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.MessagingProblems;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.push.DeviceWake;
import org.wardfleet.push.StreamDelivery;
import org.wardfleet.push.WebPush;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sending, delivering and acknowledging messages. A message goes to each recipient's eligible devices — assigned to
 * the user, bound by the user themselves, ACTIVE, and allowed by compliance at send time and again at fetch time — as
 * an inbox entry; devices are woken over their stream or by FCM with no content; the device fetches its messages as
 * JWE for its own key. A device its user has not bound (enrolled by whoever held the invitation, an administrator
 * included) gets no message, no message key and cannot send or answer as that person.
 */
@Component
class Messaging implements org.wardfleet.messaging.Paging {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Messaging.class);

    private final MessageStore store;
    private final ConversationStore conversations;
    private final GroupStore groups;
    private final InboxStore inboxes;
    private final MessageCrypto crypto;
    private final Devices devices;
    private final DeviceAccess access;
    private final DeviceWake wake;
    private final UserDirectory users;
    private final AuditLog audit;
    private final MessagingProperties properties;
    private final Clock clock;
    private final UserSignals signals;

    private final DeliveryReceipts receipts;
    private final AnswerReceipts answers;
    private final MessageKeys messageKeys;
    private final StreamDelivery streams;
    private final WebPush webPush;

    Messaging(MessageStore store, ConversationStore conversations, GroupStore groups, InboxStore inboxes,
            MessageCrypto crypto, Devices devices, DeviceAccess access, DeviceWake wake,
            UserDirectory users, AuditLog audit, MessagingProperties properties, Clock clock, UserSignals signals,
            DeliveryReceipts receipts, AnswerReceipts answers, MessageKeys messageKeys, StreamDelivery streams,
            WebPush webPush) {
        this.webPush = webPush;
        this.answers = answers;
        this.messageKeys = messageKeys;
        this.streams = streams;
        this.signals = signals;
        this.receipts = receipts;
        this.store = store;
        this.conversations = conversations;
        this.groups = groups;
        this.inboxes = inboxes;
        this.crypto = crypto;
        this.devices = devices;
        this.access = access;
        this.wake = wake;
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

    /** A reply typed on the device: only from an ACTIVE device its user bound and its compliance allows. */
    Mono<Message> sendFromDevice(String orgId, String deviceId, String userId, String conversationId,
            String idempotencyKey, Draft draft) {
        return devices.find(orgId, deviceId)
                .flatMap(Messaging::bound)
                .then(access.decide(orgId, deviceId))
                .filter(DeviceAccess.Decision::allowed)
                .switchIfEmpty(Mono.error(() -> ProblemType.FORBIDDEN.exception(
                        "This device may not send messages now (compliance)")))
                .then(send(orgId, userId, conversationId, idempotencyKey, draft));
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
    private Mono<Conversation> startWith(String orgId, String creator, List<String> participants,
            int atLeast) {
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
                .concatMap(id -> users.find(orgId, id).filter(u -> !u.disabled())
                        .switchIfEmpty(Mono.error(() -> MessagingProblems.CONVERSATION_INVALID.exception(
                                "No active user %s in your organisation", id))))
                .then(conversations.insert(new Conversation(UUID.randomUUID().toString(), orgId, stored,
                        creator, clock.instant().truncatedTo(ChronoUnit.MILLIS))));
    }

    record Draft(String text, Priority priority, boolean requiresAck, String patientRef, String replyTo, boolean drill,
            List<String> choices) {

        Draft(String text, Priority priority, boolean requiresAck, String patientRef, String replyTo) {
            this(text, priority, requiresAck, patientRef, replyTo, false, List.of());
        }
    }

    Mono<Message> send(String orgId, String senderId, String conversationId, String idempotencyKey,
            Draft draft) {
        return send(orgId, senderId, conversationId, idempotencyKey, draft, null);
    }

    /** {@code addressed}: who receives it (a page may name its own sender); null: every participant but the sender. */
    private Mono<Message> send(String orgId, String senderId, String conversationId,
            String idempotencyKey, Draft draft, List<String> addressed) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = UUID.randomUUID().toString();
        return participant(orgId, conversationId, senderId)
                .flatMap(conversation -> eligibleDevices(orgId, addressed != null ? addressed
                        : conversation.participants().stream().filter(p -> !p.equals(senderId)).toList())
                        .flatMap(eligible -> crypto.encrypt(orgId, id, draft.text())
                                .flatMap(body -> {
                                    Map<String, Addressee> recipients = new LinkedHashMap<>();
                                    eligible.forEach((userId, list) -> recipients.put(userId,
                                            new Addressee(userId, ReceiptState.SENT, now, null,
                                                    list.size())));
                                    return store.insertOnce(new Message(id, orgId, conversationId,
                                            senderId, idempotencyKey, body, draft.priority(), draft.requiresAck(),
                                            draft.patientRef(), draft.replyTo(), now, null, null, recipients,
                                            draft.drill(), draft.choices()), now.plus(FAN_OUT_LEASE));
                                })
                                .flatMap(stored -> stored.id().equals(id)
                                        ? fanOut(stored, eligible, false).then(store.fannedOut(orgId, id))
                                                .thenReturn(stored)
                                        // a retried send: the first attempt paged everyone — or stopped half-way
                                        : fannedOut(stored).thenReturn(stored))));
    }

    /**
     * How long a sender holds its message's fan-out: past this, a retried send or recovery takes it over (a
     * 10,000-phone broadcast fans out in seconds).
     */
    static final Duration FAN_OUT_LEASE = Duration.ofSeconds(30);

    /**
     * A retried send or a recovery found the message: if the attempt that began its fan-out stopped half-way (its
     * mark is still there and its lease has run out), fan it out again — delivery records and inbox entries are
     * idempotent per device, a device keeps messages by id, and the audit entry says {@code resumed}. True when
     * nothing is left to do; false while another attempt holds the fan-out.
     */
    /**
     * A retried send answers only once the message's fan-out is complete — finished by the attempt that began it, or
     * taken over from it once its lease ran out — so that its caller (a page's intent, say) never counts as done a
     * message some recipients have not been given. Bounded by {@link #FAN_OUT_LEASE}.
     */
    private Mono<Void> fannedOut(Message message) {
        return finishFanOut(message).flatMap(done -> done ? Mono.<Void>empty()
                : Mono.delay(FAN_OUT_POLL).then(Mono.defer(() -> fannedOut(message))));
    }

    static final Duration FAN_OUT_POLL = Duration.ofMillis(500);

    private Mono<Boolean> finishFanOut(Message message) {
        Instant now = clock.instant();
        return store.fanOutUntil(message.orgId(), message.id())
                .flatMap(until -> until.isAfter(now) ? Mono.just(false)
                        : store.claimFanOut(message.orgId(), message.id(), now, now.plus(FAN_OUT_LEASE))
                                .flatMap(claimed -> claimed ? fanOutAgain(message).thenReturn(true)
                                        : Mono.just(false)))
                .defaultIfEmpty(true);
    }

    private Mono<Void> fanOutAgain(Message message) {
        return eligibleDevices(message.orgId(), List.copyOf(message.recipients().keySet()))
                .flatMap(eligible -> fanOut(message, eligible, true))
                .then(store.fannedOut(message.orgId(), message.id()));
    }

    /** What an open screen may raise before fetching: a page that waits for an answer (not a broadcast's roll-call). */
    private static String alert(Message m) {
        return m.requiresAck() && !m.drill() && m.choices().isEmpty() && m.priority().alerts()
                ? m.priority().name() : null;
    }

    /** The recipients, and people escalation added since (eligible but not yet recipients). */
    private static List<String> told(Message message, Map<String, List<Device>> eligible) {
        return java.util.stream.Stream.concat(message.recipients().keySet().stream(), eligible.keySet().stream())
                .distinct().toList();
    }

    /**
     * A page that raises an alert also notifies the browsers where these people turned notifications on (Web Push),
     * for a background or closed app tab: a wake-up like FCM, never counted as delivery, never failing the send.
     */
    private Mono<Void> browsersNotified(Message message, List<String> people) {
        String alert = alert(message);
        return alert == null ? Mono.empty() : webPush.notify(message.orgId(), people, alert, message.id()).then();
    }

    private Mono<Void> fanOut(Message message, Map<String, List<Device>> eligible, boolean resumed) {
        List<Device> targets = eligible.values().stream().flatMap(List::stream).toList();
        // the durable record first — every device's delivery history and inbox entry, so a device whose stream drops
        // fetches its copy again — while the pushed copies' keys are read; nothing is pushed before it is written
        Mono<Void> recorded = inboxes.reserve(message.orgId(), Math.max(1, targets.size()))
                .flatMap(first -> {
                    List<Delivery> batch = new ArrayList<>();
                    for (int i = 0; i < targets.size(); i++) {
                        batch.add(new Delivery(message.id(), targets.get(i).id(),
                                targets.get(i).assignedUserId(), first + i));
                    }
                    return inboxes.deliver(message.orgId(), batch);
                })
                .cache();
        AuditEvent sent = AuditEvent.of(message.orgId(), Actor.user(message.senderId()), "message.send",
                message.id(), Outcome.SUCCESS).withDetail("priority", message.priority().name())
                .withDetail("recipients", Integer.toString(message.recipients().size()))
                .withDetail("devices", Integer.toString(targets.size()));
        Mono<Void> told = recorded
                .then(audit.record(resumed ? sent.withDetail("resumed", "true") : sent))
                // escalation fans an existing message out to people added since it was read: they are told too
                .then(signals.publish(told(message, eligible).stream().map(userId -> new UserSignals.Signal(
                        message.orgId(), userId, "message", message.id(), alert(message))).toList()))
                .then(browsersNotified(message, told(message, eligible)));
        Mono<Void> reached = pushHere(message, targets, recorded)
                .flatMap(pushed -> wake.wake(message.orgId(), targets.stream().filter(d -> !pushed.contains(d.id()))
                        .map(d -> new DeviceWake.WakeTarget(d.id(), d.platform().wire(), d.pushTokens())).toList(),
                        "message", message.priority().alerts()))
                .then();
        // a failed audit entry or signal fails the send, but only once everyone has been pushed or woken: a retried
        // send finds the message and does not fan out again, so nobody may be left half-way
        return Mono.whenDelayError(told, reached);
    }

    /** Devices encrypted for and queued per task: the first streams get their copy while later ones are prepared. */
    private static final int PUSH_CHUNK = 250;

    /**
     * The message itself, as a {@code deliver} event, onto the streams of the targets that are connected to this
     * instance, subscribed to messages and hold a message key (A256KW: microseconds a device): no wake-up, no fetch.
     * Each copy carries inside its ciphertext a receipt token only this device can read, and the device proves
     * delivery by sending it back ({@link StreamDelivered}); until then the user stays SENT, and escalation and the
     * pager fallback go on as for any message. The keys are read while {@code recorded} is being written, and each
     * chunk of copies goes out once it has been. Returns the devices queued (all others are woken as usual).
     */
    private Mono<java.util.Set<String>> pushHere(Message message, List<Device> targets,
            Mono<Void> recorded) {
        Map<String, String> serials = new LinkedHashMap<>();
        targets.forEach(d -> {
            if (d.certificateSerial() != null) {
                serials.put(d.id(), d.certificateSerial());
            }
        });
        java.util.Set<String> here = streams.subscribedHere(message.orgId(), StreamDelivery.MESSAGES, serials);
        if (here.isEmpty() || message.body() == null) {
            return recorded.thenReturn(java.util.Set.of());
        }
        List<Device> local = targets.stream().filter(d -> here.contains(d.id())).toList();
        return Mono.zip(text(message), crypto.derived(message.orgId(), StreamDelivered.PURPOSE))
                .flatMapMany(t -> {
                    Map<String, Object> content = content(message, t.getT1());
                    return messageKeys.currentInChunks(message.orgId(), local, PUSH_CHUNK)
                            .flatMap(chunk -> recorded.then(Mono.fromCallable(() -> {
                                Map<String, StreamDelivery.Copy> copies = new LinkedHashMap<>();
                                for (MessageKeys.Held held : chunk) {
                                    copies.put(held.device().id(), copy(message, content, held.device(), held.key(),
                                            t.getT2()));
                                }
                                return streams.send(message.orgId(), StreamDelivery.MESSAGES, copies);
                            }).subscribeOn(Schedulers.parallel())));
                })
                .collect(java.util.HashSet<String>::new, java.util.Set::addAll)
                .<java.util.Set<String>>map(java.util.Set::copyOf)
                // never fails the send: every device not known to be pushed is woken instead (a device that got
                // its copy anyway may fetch it again, and keeps messages by id); a failed record fails the send
                .onErrorResume(e -> recorded.thenReturn(java.util.Set.<String>of())
                        .doOnNext(none -> LOG.warn("Pushing message {} on streams failed, waking its devices instead: {}",
                                message.id(), e.toString())));
    }

    /** One device's {@code deliver} event: the content and its receipt token, under the device's message key. */
    private static StreamDelivery.Copy copy(Message message, Map<String, Object> content, Device device,
            MessageKeys.MessageKey key, javax.crypto.SecretKey receiptKey) throws Exception {
        Map<String, Object> own = new LinkedHashMap<>(content);
        own.put("receipt", StreamDelivered.token(receiptKey, device.id(), device.assignedUserId(), message.id()));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "deliver"); // first: devices may tell events apart by their start
        event.put("messages", List.of(Map.of("id", message.id(), "jwe", encryptWith(key, own))));
        return new StreamDelivery.Copy(device.certificateSerial(), event);
    }

    /**
     * Every recipient (all of them, in order, even with no device) → their ACTIVE devices that conditional access
     * allows now. Devices come in one query, conditional-access decisions in one batch (one read of the compliance
     * records and the organisation's policies).
     */
    private Mono<Map<String, List<Device>>> eligibleDevices(String orgId, List<String> recipients) {
        return devices.reachableForAll(orgId, recipients)
                .filter(d -> d.state() == DeviceState.ACTIVE && d.boundToUser())
                .collectList()
                .flatMap(candidates -> access.decideAll(orgId, candidates).map(decisions -> candidates.stream()
                        .filter(d -> decisions.containsKey(d.id()) && decisions.get(d.id()).allowed())
                        .collect(java.util.stream.Collectors.groupingBy(Device::assignedUserId))))
                .map(byUser -> {
                    Map<String, List<Device>> eligible = new LinkedHashMap<>();
                    for (String userId : recipients) {
                        java.util.Collection<Device> list = byUser.get(userId);
                        eligible.put(userId, list == null ? List.of() : List.copyOf(list));
                    }
                    return eligible;
                });
    }

    private Mono<Conversation> participant(String orgId, String conversationId, String userId) {
        return conversations.conversation(orgId, conversationId)
                .filter(c -> c.participants().contains(userId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No conversation %s",
                        conversationId)));
    }

    /** A message as its sender or a recipient may see it; anyone else gets 404. */
    Mono<Message> visible(String orgId, String messageId, String userId) {
        return store.message(orgId, messageId)
                .filter(m -> m.senderId().equals(userId) || m.recipients().containsKey(userId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No message %s", messageId)));
    }

    /** A person opening a message (desktop): a recipient who had not received it yet now has. */
    Mono<Message> open(String orgId, String messageId, String userId) {
        return visible(orgId, messageId, userId).flatMap(m -> {
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

    Mono<String> text(Message m) {
        return m.body() == null ? Mono.empty() : crypto.decrypt(m.orgId(), m.id(), m.body());
    }

    Mono<Message> recall(String orgId, String messageId, String senderId) {
        return visible(orgId, messageId, senderId)
                .filter(m -> m.senderId().equals(senderId))
                .switchIfEmpty(Mono.error(() -> ProblemType.FORBIDDEN.exception("Only the sender can recall")))
                .flatMap(m -> store.recall(orgId, messageId, senderId, List.copyOf(m.recipients().keySet()),
                        clock.instant()))
                .switchIfEmpty(Mono.error(() -> MessagingProblems.RECALL_TOO_LATE.exception(
                        "A recipient has already read it")))
                .flatMap(m -> audit.record(AuditEvent.of(orgId, Actor.user(senderId), "message.recall", messageId,
                        Outcome.SUCCESS)).thenReturn(m))
                // open screens take it away at once (devices learn it at their next fetch, as before)
                .flatMap(m -> signals.publish(m.recipients().keySet().stream().map(userId -> new UserSignals.Signal(
                        orgId, userId, "recalled", messageId)).toList()).thenReturn(m));
    }

    record Fetched(List<Map<String, Object>> messages, long cursor, boolean blocked) {
    }

    /**
     * The device's inbox after {@code after}: each message as JWE for this device — under its message key when it has
     * one (A256KW), else to its enrolled key (ECDH-ES); marks them delivered.
     */
    Mono<Fetched> fetch(String orgId, String deviceId, long after) {
        return fetch(orgId, deviceId, after, null, null);
    }

    /**
     * As {@link #fetch(String, String, long)} for a caller authenticated earlier (the stream, on its upgrade):
     * {@code credentialSerial} is the certificate it was authenticated with, and a device whose certificate has been
     * replaced since (renewed, possibly with a new key) is refused — the stream must reconnect with the new one.
     */
    Mono<Fetched> fetch(String orgId, String deviceId, long after, String credentialSerial) {
        return fetch(orgId, deviceId, after, credentialSerial, null);
    }

    /**
     * As {@link #fetch(String, String, long, String)}; {@code heldKid} is the message key the device says it holds
     * ({@code null}: not said, as older apps): a device that does not hold the key in use gets ECDH-ES to its enrolled
     * key, which it can always open — the fallback of a phone that could not decrypt a pushed copy.
     */
    Mono<Fetched> fetch(String orgId, String deviceId, long after, String credentialSerial, String heldKid) {
        // the device just read is the one decided on (no second read of it)
        return devices.find(orgId, deviceId)
                .filter(device -> credentialSerial == null || credentialSerial.equals(device.certificateSerial()))
                .switchIfEmpty(Mono.error(() -> ProblemType.UNAUTHENTICATED.exception(
                        "This device's credential changed since the stream opened: reconnect")))
                .flatMap(Messaging::bound)
                .flatMap(device -> access.decideAll(orgId, List.of(device))
                .mapNotNull(decisions -> decisions.get(deviceId))
                .flatMap(decision -> !decision.allowed() || device.state() != DeviceState.ACTIVE
                        ? Mono.just(new Fetched(List.of(), after, true))
                        : Mono.zip(inboxes.inbox(orgId, deviceId, after, 100).collectList(),
                                        messageKeys.forFetch(device, heldKid))
                                .flatMap(t -> deliverAll(device, t.getT2().orElse(null), t.getT1(), after))));
    }

    /** A new message key for this device (replacing any earlier one), as a JWE only its enrolled key opens. */
    Mono<MessageKeys.Issued> issueMessageKey(String orgId, String deviceId) {
        return devices.find(orgId, deviceId)
                .filter(d -> d.state() == DeviceState.ACTIVE)
                .switchIfEmpty(Mono.error(() -> ProblemType.FORBIDDEN.exception(
                        "Only an active device can have a message key")))
                .flatMap(Messaging::bound)
                .flatMap(device -> messageKeys.issue(device)
                        .flatMap(issued -> audit.record(AuditEvent.of(orgId, Actor.device(deviceId),
                                "messaging.message-key.issue", deviceId, Outcome.SUCCESS)
                                .withDetail("kid", issued.kid())).thenReturn(issued)));
    }

    /**
     * The device has message key {@code kid}: a pending key becomes the one in use (audited
     * {@code messaging.message-key.activate}, with {@code again} when it was in use already: a retry after a lost
     * answer or a lost entry is audited too); any other kid is refused.
     */
    Mono<String> confirmMessageKey(String orgId, String deviceId, String kid) {
        return devices.find(orgId, deviceId)
                .filter(d -> d.state() == DeviceState.ACTIVE)
                .switchIfEmpty(Mono.error(() -> ProblemType.FORBIDDEN.exception(
                        "Only an active device can have a message key")))
                .flatMap(device -> messageKeys.confirm(device, kid))
                .flatMap(confirmed -> confirmed == MessageKeys.Confirmed.UNKNOWN
                        ? Mono.error(MessagingProblems.MESSAGE_KEY_UNKNOWN.exception(
                                "No message key %s is waiting for this device: ask for a new one", kid))
                        // a confirmation retried after its entry was lost (the key already in use) is audited too
                        : audit.record(AuditEvent.of(orgId, Actor.device(deviceId), "messaging.message-key.activate",
                                deviceId, Outcome.SUCCESS).withDetail("kid", kid)
                                .withDetail("again",
                                        Boolean.toString(confirmed == MessageKeys.Confirmed.ALREADY_ACTIVE)))
                                .thenReturn(kid));
    }

    private Mono<Fetched> deliverAll(Device device, MessageKeys.MessageKey key, List<Delivery> inbox,
            long after) {
        long cursor = inbox.isEmpty() ? after : inbox.get(inbox.size() - 1).seq();
        return Flux.fromIterable(inbox)
                .concatMap(delivery -> store.content(device.orgId(), delivery.messageId())
                        .flatMap(message -> packaged(device, key, message)
                                .flatMap(entry -> markDelivered(device, message).thenReturn(entry))))
                .collectList()
                .map(list -> new Fetched(list, cursor, false));
    }

    private Mono<Map<String, Object>> packaged(Device device, MessageKeys.MessageKey key,
            Message message) {
        if (message.recalledAt() != null || message.body() == null) {
            // recalled or past retention: the device purges what it holds
            return Mono.just(Map.of("id", message.id(), "purge", true));
        }
        return crypto.decrypt(message.orgId(), message.id(), message.body())
                .flatMap(text -> {
                    Map<String, Object> content = content(message, text);
                    if (key != null) {
                        // a key wrap and AES-GCM: microseconds, fine on the calling thread
                        return Mono.fromCallable(() -> Map.<String, Object>of("id", message.id(), "jwe",
                                encryptWith(key, content)));
                    }
                    return Mono.fromCallable(() -> Map.<String, Object>of("id", message.id(), "jwe",
                            encryptFor(device, content))).subscribeOn(Schedulers.boundedElastic());
                });
    }

    /** What a device decrypts: the message as its app shows it. */
    private static Map<String, Object> content(Message message, String text) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("id", message.id());
        content.put("conversationId", message.conversationId());
        content.put("senderId", message.senderId());
        content.put("text", text);
        content.put("priority", message.priority().name());
        content.put("requiresAck", message.requiresAck());
        content.put("sentAt", message.sentAt().toString());
        if (message.patientRef() != null) {
            content.put("patientRef", message.patientRef());
        }
        if (message.replyTo() != null) {
            content.put("replyTo", message.replyTo());
        }
        if (message.drill()) {
            content.put("drill", true); // shown as a drill on every device
        }
        if (!message.choices().isEmpty()) {
            content.put("choices", message.choices());
        }
        return content;
    }

    /** A256KW / A256GCM under the device's message key, named by its {@code kid}. */
    static String encryptWith(MessageKeys.MessageKey key, Map<String, Object> content) throws Exception {
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256GCM)
                .keyID(key.kid()).build(), new Payload(content));
        jwe.encrypt(new AESEncrypter(key.key()));
        return jwe.serialize();
    }

    /** ECDH-ES+A256KW / A256GCM to the device's enrolled EC key (RSA-OAEP-256 for RSA keys). */
    static String encryptFor(Device device, Map<String, Object> content) throws Exception {
        return encryptFor(device, new Payload(content), null);
    }

    /** A payload as a JWE to the device's enrolled key ({@code contentType} optional, e.g. {@code jwk+json}). */
    static String encryptFor(Device device, Payload payload, String contentType) throws Exception {
        PublicKey key = DeviceKeys.parse(device.publicKey());
        boolean ec = key instanceof ECPublicKey;
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(ec ? JWEAlgorithm.ECDH_ES_A256KW : JWEAlgorithm.RSA_OAEP_256,
                EncryptionMethod.A256GCM).keyID(device.id()).contentType(contentType).build(), payload);
        jwe.encrypt(ec ? new ECDHEncrypter((ECPublicKey) key) : new RSAEncrypter((RSAPublicKey) key));
        return jwe.serialize();
    }

    private Mono<Void> markDelivered(Device device, Message message) {
        return delivered(device.orgId(), device.id(), device.assignedUserId(), message.id());
    }

    /** The user's copy reached this device (a fetch answered, or a pushed copy confirmed): SENT → DELIVERED. */
    Mono<Void> delivered(String orgId, String deviceId, String userId, String messageId) {
        return receipts.delivered(orgId, messageId, userId, clock.instant())
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
        return visible(orgId, messageId, userId)
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

    Flux<Map<String, Object>> live(String orgId, String userId) {
        return signals.live(orgId, userId);
    }

    Mono<Message> receipt(String orgId, String deviceId, String messageId, ReceiptState state,
            String reason, String choice) {
        return devices.find(orgId, deviceId)
                .flatMap(Messaging::bound)
                .filterWhen(device -> inboxes.delivered(orgId, messageId, deviceId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No message %s for this device",
                        messageId)))
                // the choices without the recipients: a broadcast's document holds 10,000 of them
                .flatMap(device -> store.content(orgId, messageId).flatMap(m -> validChoice(m, choice))
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

    // ---- Paging (escalation)

    @Override
    public Mono<String> page(String orgId, String senderId, List<String> recipients, String text, Priority priority,
            List<String> choices, String idempotencyKey) {
        return store.messageByKey(orgId, senderId, idempotencyKey)
                .flatMap(sent -> fannedOut(sent).thenReturn(sent.id()))
                .switchIfEmpty(Mono.defer(() -> startWith(orgId, senderId, recipients, recipients.isEmpty() ? 2 : 1)
                        .flatMap(c -> send(orgId, senderId, c.id(), idempotencyKey,
                                new Draft(text, priority, true, null, null, false,
                                        choices == null ? List.of() : List.copyOf(choices)),
                                SYSTEM.equals(senderId) ? null : List.copyOf(new LinkedHashSet<>(recipients))))
                        .map(Message::id)));
    }

    @Override
    public Mono<Sent> resume(String orgId, String senderId, String idempotencyKey) {
        return store.messageByKey(orgId, senderId, idempotencyKey)
                .flatMap(m -> finishFanOut(m).map(complete -> new Sent(m.id(), m.sentAt(),
                        List.copyOf(m.recipients().keySet()), complete)));
    }

    @Override
    public Mono<List<Receipt>> recipientReceipts(String orgId, String messageId) {
        return store.message(orgId, messageId).map(m -> m.recipients().values().stream()
                .map(r -> new Receipt(r.userId(), r.state(), r.at(), r.choice())).toList());
    }

    @Override
    public Mono<Added> addRecipients(String orgId, String messageId, List<String> userIds) {
        return store.message(orgId, messageId).flatMap(message -> {
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
                        Added added = new Added(fresh, already, skipped);
                        if (fresh.isEmpty()) {
                            return Mono.just(added);
                        }
                        return eligibleDevices(orgId, fresh)
                                .flatMap(eligible -> store.addRecipients(orgId, messageId, eligible.entrySet().stream()
                                                .map(e -> new Addressee(e.getKey(), ReceiptState.SENT,
                                                        clock.instant(), null, e.getValue().size())).toList())
                                        .then(fanOut(message, eligible, false)))
                                .thenReturn(added);
                    });
        });
    }

    @Override
    public Mono<Map<String, ReceiptState>> states(String orgId, String messageId) {
        return store.message(orgId, messageId).map(m -> {
            Map<String, ReceiptState> states = new LinkedHashMap<>();
            m.recipients().forEach((u, r) -> states.put(u, r.state()));
            return states;
        });
    }

    @Override
    public Mono<Map<String, List<String>>> receipts(String orgId, String messageId) {
        return store.message(orgId, messageId).map(m -> {
            Map<String, List<String>> receipts = new LinkedHashMap<>();
            m.recipients().forEach((u, r) -> receipts.put(u, java.util.Arrays.asList(r.state().name(),
                    r.at() == null ? null : r.at().toString())));
            return receipts;
        });
    }

    @Override
    public Mono<Void> realert(String orgId, String messageId) {
        return store.message(orgId, messageId)
                .flatMapMany(m -> Flux.fromIterable(m.recipients().values())
                        .filter(r -> !r.state().answered())
                        .concatMap(r -> devices.reachableFor(orgId, r.userId())))
                .filter(d -> d.state() == DeviceState.ACTIVE && d.boundToUser())
                .map(d -> new DeviceWake.WakeTarget(d.id(), d.platform().wire(), d.pushTokens()))
                .collectList()
                .flatMap(targets -> wake.wake(orgId, targets, "message", true))
                .then();
    }

    @Override
    public Mono<Void> acknowledge(String orgId, String messageId, String userId) {
        return userReceipt(orgId, userId, messageId, ReceiptState.ACKNOWLEDGED, null).then();
    }

    @Override
    public Flux<OpenRecipient> openRecipients(Instant sentAfter) {
        return store.openPages(sentAfter)
                .filter(m -> m.priority().alerts() && !m.drill())
                .flatMapIterable(m -> m.recipients().values().stream()
                        .filter(r -> !r.state().answered())
                        .map(r -> new OpenRecipient(m.orgId(), m.id(), r.userId(), m.priority(), m.sentAt(),
                                r.state())).toList());
    }

    @Override
    public Mono<List<String>> groupMembers(String orgId, String group) {
        return groups.all(orgId).filter(r -> r.id().equals(group) || r.name().equals(group)).next()
                .map(NamedGroup::members).defaultIfEmpty(List.of());
    }

    @Override
    public Mono<Void> notice(String orgId, String senderId, List<String> userIds, String text, String key) {
        String sender = senderId == null ? SYSTEM : senderId;
        List<String> others = userIds.stream().filter(u -> !u.equals(sender)).distinct().toList();
        if (others.isEmpty()) {
            return Mono.empty();
        }
        return page(orgId, sender, others, text, Priority.STAT, key).then();
    }

    @Override
    public Mono<String> broadcast(String orgId, String senderId, List<String> userIds, String text, Priority priority,
            List<String> choices, boolean drill, String idempotencyKey) {
        // the audience comes from the directory, rotas or groups: no per-person validation round trips
        List<String> people = new ArrayList<>(new LinkedHashSet<>(userIds));
        people.remove(senderId);
        if (people.isEmpty()) {
            return Mono.error(MessagingProblems.CONVERSATION_INVALID.exception("Nobody in the audience"));
        }
        List<String> participants = new ArrayList<>(people);
        participants.add(senderId);
        return store.messageByKey(orgId, senderId, idempotencyKey)
                .flatMap(sent -> fannedOut(sent).thenReturn(sent.id()))
                .switchIfEmpty(Mono.defer(() -> conversations.insert(new Conversation(UUID.randomUUID()
                                .toString(), orgId, participants, senderId, clock.instant().truncatedTo(ChronoUnit.MILLIS)))
                        .flatMap(c -> send(orgId, senderId, c.id(), idempotencyKey, new Draft(text, priority, true,
                                null, null, drill, choices == null ? List.of() : List.copyOf(choices))))
                        .map(Message::id)));
    }

    @Override
    public Mono<Rollup> rollup(String orgId, String messageId, String askingUserId) {
        return store.message(orgId, messageId)
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
                    return new Rollup(m.recipients().size(), delivered, read, acknowledged, chosen, pending,
                            m.drill());
                });
    }
}
