package org.wardfleet.messaging.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.SecretKey;

import org.springframework.stereotype.Component;
import org.wardfleet.messaging.MessagingProblems;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.push.DeviceStreamRequest;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code {"type":"delivered","messages":[{"id","receipt"}]}} on the device's stream: the device confirms messages that
 * were pushed to it as {@code deliver} events. Each pushed copy carries, inside its ciphertext, a receipt token — an
 * HMAC of the device, its user and the message under a key derived from the organisation's data key — so a valid
 * token proves this device decrypted that very copy (forwarding, guessing or replaying another device's token does
 * not work, and any instance can check it). Valid receipts move the user to DELIVERED through the group-committed
 * receipts, as a fetch does; answered with {@code {"type":"recorded","ids":[...]}}. One bad entry refuses the whole
 * frame ({@code receipt-invalid}) and records nothing: the device then fetches, which records delivery anyway.
 */
@Component
class StreamDelivered implements DeviceStreamRequest {

    /** Names the derived key: a receipt key is never the data key itself. */
    static final String PURPOSE = "wardfleet stream delivery receipt v1";
    static final int MAX_ENTRIES = 100;
    private static final int TOKEN_BYTES = 16;

    private final Receipts receiptLog;
    private final MessageCrypto crypto;

    StreamDelivered(Receipts receiptLog, MessageCrypto crypto) {
        this.receiptLog = receiptLog;
        this.crypto = crypto;
    }

    @Override
    public String type() {
        return "delivered";
    }

    /** The receipt token for one pushed copy: base64url of the first 16 bytes of the HMAC. */
    static String token(SecretKey key, String deviceId, String userId, String messageId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw(key, deviceId, userId, messageId));
    }

    private static byte[] raw(SecretKey key, String deviceId, String userId, String messageId) {
        return Arrays.copyOf(MessageCrypto.hmac(key, deviceId + "\n" + userId + "\n" + messageId), TOKEN_BYTES);
    }

    /** Constant-time: a device learns nothing from how long a wrong token took to refuse. */
    static boolean valid(SecretKey key, String deviceId, String userId, String messageId, String token) {
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(raw(key, deviceId, userId, messageId), given);
    }

    @Override
    public Mono<Map<String, Object>> handle(DevicePrincipal device, Map<String, Object> request) {
        if (!(request.get("messages") instanceof List<?> entries) || entries.isEmpty()
                || entries.size() > MAX_ENTRIES) {
            return Mono.error(ProblemType.VALIDATION_FAILED.exception(
                    "messages is a list of 1 to %d {\"id\",\"receipt\"} pairs", MAX_ENTRIES));
        }
        Map<String, String> receipts = new LinkedHashMap<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> m) || !(m.get("id") instanceof String id) || id.isEmpty()
                    || id.length() > 64 || !(m.get("receipt") instanceof String receipt) || receipt.length() > 64) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception(
                        "Each entry is {\"id\":\"<message id>\",\"receipt\":\"<token from the message>\"}"));
            }
            receipts.put(id, receipt);
        }
        if (device.assignedUserId() == null) {
            return Mono.error(MessagingProblems.RECEIPT_INVALID.exception("This device has no messages of its own"));
        }
        return crypto.derived(device.orgId(), PURPOSE).flatMap(key -> {
            for (Map.Entry<String, String> e : receipts.entrySet()) {
                if (!valid(key, device.deviceId(), device.assignedUserId(), e.getKey(), e.getValue())) {
                    return Mono.error(MessagingProblems.RECEIPT_INVALID.exception(
                            "Receipt for message %s was not issued to this device: fetch your messages instead",
                            e.getKey()));
                }
            }
            List<String> ids = List.copyOf(receipts.keySet());
            return Mono.deferContextual(context -> {
                // the device has confirmed: the receipts are written (and audited with this request's context) even
                // if its stream closes before the answer goes out
                Mono<Void> recording = Flux.fromIterable(ids)
                        .flatMap(id -> receiptLog.delivered(device.orgId(), device.deviceId(), device.assignedUserId(),
                                id))
                        .then().contextWrite(context).cache();
                recording.subscribe(null, error -> { }); // a failure reaches the device through the answer below
                return recording.then(Mono.fromSupplier(() -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("type", "recorded");
                    answer.put("ids", ids);
                    return answer;
                }));
            });
        });
    }
}
