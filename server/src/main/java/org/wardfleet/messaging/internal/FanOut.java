package org.wardfleet.messaging.internal;

import java.time.Clock;
import java.time.Duration;
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
import org.wardfleet.compliance.DeviceAccess;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Devices;
import org.wardfleet.push.DeviceWake;
import org.wardfleet.push.StreamDelivery;
import org.wardfleet.push.WebPush;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Dispatch's second half: a stored message to its recipients' eligible devices — assigned to the user, bound by the
 * user themselves, ACTIVE, and allowed by compliance at send time — as inbox entries; devices are woken over their
 * stream or by FCM with no content, or get the message itself on a stream of this instance. A sender holds its
 * message's fan-out under a lease, so that a retried send or a recovery can finish what a crashed one began.
 */
@Component
class FanOut {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FanOut.class);

    private final MessageStore messages;
    private final InboxStore inboxes;
    private final Conversations conversations;
    private final MessageCrypto crypto;
    private final MessageKeys messageKeys;
    private final Devices devices;
    private final DeviceAccess access;
    private final DeviceWake wake;
    private final StreamDelivery streams;
    private final WebPush webPush;
    private final UserSignals signals;
    private final AuditLog audit;
    private final Clock clock;

    FanOut(MessageStore messages, InboxStore inboxes, Conversations conversations, MessageCrypto crypto,
            MessageKeys messageKeys, Devices devices, DeviceAccess access, DeviceWake wake, StreamDelivery streams,
            WebPush webPush, UserSignals signals, AuditLog audit, Clock clock) {
        this.messages = messages;
        this.inboxes = inboxes;
        this.conversations = conversations;
        this.crypto = crypto;
        this.messageKeys = messageKeys;
        this.devices = devices;
        this.access = access;
        this.wake = wake;
        this.streams = streams;
        this.webPush = webPush;
        this.signals = signals;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * How long a sender holds its message's fan-out: past this, a retried send or recovery takes it over (a
     * 10,000-phone broadcast fans out in seconds).
     */
    static final Duration FAN_OUT_LEASE = Duration.ofSeconds(30);

    /**
     * A retried send answers only once the message's fan-out is complete — finished by the attempt that began it, or
     * taken over from it once its lease ran out — so that its caller (a page's intent, say) never counts as done a
     * message some recipients have not been given. Bounded by {@link #FAN_OUT_LEASE}.
     */
    Mono<Void> fannedOut(Message message) {
        return finishFanOut(message).flatMap(done -> done ? Mono.<Void>empty()
                : Mono.delay(FAN_OUT_POLL).then(Mono.defer(() -> fannedOut(message))));
    }

    static final Duration FAN_OUT_POLL = Duration.ofMillis(500);

    /**
     * A retried send or a recovery found the message: if the attempt that began its fan-out stopped half-way (its
     * mark is still there and its lease has run out), fan it out again — delivery records and inbox entries are
     * idempotent per device, a device keeps messages by id, and the audit entry says {@code resumed}. True when
     * nothing is left to do; false while another attempt holds the fan-out.
     */
    Mono<Boolean> finishFanOut(Message message) {
        Instant now = clock.instant();
        return messages.fanOutUntil(message.orgId(), message.id())
                .flatMap(until -> until.isAfter(now) ? Mono.just(false)
                        : messages.claimFanOut(message.orgId(), message.id(), now, now.plus(FAN_OUT_LEASE))
                                .flatMap(claimed -> claimed ? fanOutAgain(message).thenReturn(true)
                                        : Mono.just(false)))
                .defaultIfEmpty(true);
    }

    private Mono<Void> fanOutAgain(Message message) {
        return eligibleDevices(message.orgId(), List.copyOf(message.recipients().keySet()))
                .flatMap(eligible -> fanOut(message, eligible, true))
                .then(messages.fannedOut(message.orgId(), message.id()));
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

    /**
     * The phases of getting a message to {@code eligible} devices, in order: recorded (every device's delivery
     * history and inbox entry), told (audit, open screens, browsers), reached (pushed on this instance's streams,
     * every other device woken).
     */
    Mono<Void> fanOut(Message message, Map<String, List<Device>> eligible, boolean resumed) {
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
     * The message itself, as a {@code deliver} event, onto the streams of the targets that are connected (to this
     * instance or, through the signals, another), subscribed to messages and hold a message key (A256KW: microseconds a device): no wake-up, no fetch.
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
        return streams.reachable(message.orgId(), StreamDelivery.MESSAGES, serials)
                .flatMap(here -> here.isEmpty() || message.body() == null ? recorded.thenReturn(java.util.Set.<String>of())
                        : pushTo(message, targets.stream().filter(d -> here.contains(d.id())).toList(), recorded))
                // never fails the send: every device not known to be pushed is woken instead (a device that got
                // its copy anyway may fetch it again, and keeps messages by id); a failed record fails the send
                .onErrorResume(e -> recorded.thenReturn(java.util.Set.<String>of())
                        .doOnNext(none -> log.warn("Pushing message {} on streams failed, waking its devices instead: {}",
                                message.id(), e.toString())));
    }

    /** Copies for {@code reachable} devices, on this instance's streams or handed to the instance holding each. */
    private Mono<java.util.Set<String>> pushTo(Message message, List<Device> reachable, Mono<Void> recorded) {
        return Mono.zip(conversations.text(message), crypto.derived(message.orgId(), StreamDelivered.PURPOSE))
                .flatMapMany(t -> {
                    DeviceCopies.Receipted content = new DeviceCopies.Receipted(DeviceCopies.content(message,
                            t.getT1()));
                    return messageKeys.currentInChunks(message.orgId(), reachable, PUSH_CHUNK)
                            .flatMap(chunk -> recorded.then(Mono.fromCallable(() -> {
                                Map<String, StreamDelivery.Copy> copies = new LinkedHashMap<>();
                                for (MessageKeys.Held held : chunk) {
                                    copies.put(held.device().id(), copy(message, content, held.device(), held.key(),
                                            t.getT2()));
                                }
                                return copies;
                            }).subscribeOn(Schedulers.parallel()))
                                    .flatMap(copies -> streams.deliver(message.orgId(), StreamDelivery.MESSAGES,
                                            copies)));
                })
                .collect(java.util.HashSet<String>::new, java.util.Set::addAll)
                .map(java.util.Set::copyOf);
    }

    /** One device's {@code deliver} event: the content and its receipt token, under the device's message key. */
    private static StreamDelivery.Copy copy(Message message, DeviceCopies.Receipted content, Device device,
            MessageKeys.MessageKey key, javax.crypto.SecretKey receiptKey) throws Exception {
        String own = content.with(StreamDelivered.token(receiptKey, device.id(), device.assignedUserId(),
                message.id()));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "deliver"); // first: devices may tell events apart by their start
        event.put("messages", List.of(Map.of("id", message.id(), "jwe", DeviceCopies.encryptWith(key, own))));
        return new StreamDelivery.Copy(device.certificateSerial(), event);
    }

    /**
     * Every recipient (all of them, in order, even with no device) → their ACTIVE devices that conditional access
     * allows now. Devices come in one query, conditional-access decisions in one batch (one read of the compliance
     * records and the organisation's policies).
     */
    Mono<Map<String, List<Device>>> eligibleDevices(String orgId, List<String> recipients) {
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
}
