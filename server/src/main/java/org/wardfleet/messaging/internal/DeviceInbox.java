package org.wardfleet.messaging.internal;

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
import org.wardfleet.messaging.MessagingProblems;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A device's side of messaging: its inbox fetched as JWE for that device (marking each copy delivered), and its
 * message key. Only an ACTIVE device its user bound and compliance allows gets anything.
 */
@Component
class DeviceInbox {

    private final Devices devices;
    private final DeviceAccess access;
    private final InboxStore inboxes;
    private final MessageStore messages;
    private final MessageKeys messageKeys;
    private final MessageCrypto crypto;
    private final Receipts receipts;
    private final AuditLog audit;

    DeviceInbox(Devices devices, DeviceAccess access, InboxStore inboxes, MessageStore messages,
            MessageKeys messageKeys, MessageCrypto crypto, Receipts receipts, AuditLog audit) {
        this.devices = devices;
        this.access = access;
        this.inboxes = inboxes;
        this.messages = messages;
        this.messageKeys = messageKeys;
        this.crypto = crypto;
        this.receipts = receipts;
        this.audit = audit;
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
                .flatMap(Conversations::bound)
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
                .flatMap(Conversations::bound)
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
                .concatMap(delivery -> messages.content(device.orgId(), delivery.messageId())
                        .flatMap(message -> packaged(device, key, message)
                                .flatMap(entry -> receipts.delivered(device.orgId(), device.id(), device.assignedUserId(), message.id()).thenReturn(entry))))
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
                    Map<String, Object> content = DeviceCopies.content(message, text);
                    if (key != null) {
                        // a key wrap and AES-GCM: microseconds, fine on the calling thread
                        return Mono.fromCallable(() -> Map.<String, Object>of("id", message.id(), "jwe",
                                DeviceCopies.encryptWith(key, content)));
                    }
                    return Mono.fromCallable(() -> Map.<String, Object>of("id", message.id(), "jwe",
                            DeviceCopies.encryptFor(device, content))).subscribeOn(Schedulers.boundedElastic());
                });
    }
}
