package org.wardfleet.messaging.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.push.DeviceStreamRequest;

import reactor.core.publisher.Mono;

/**
 * {@code {"type":"fetch","after":"<cursor>","kid"?}} on the device's stream: the same inbox as
 * {@code GET /device/v1/messages?after=} — same checks (ACTIVE, compliance, now), same JWEs, same DELIVERED receipts —
 * answered as {@code {"type":"messages","messages":[...],"cursor","blocked"}} on the stream. A woken phone that is
 * connected fetches without a new signed token, connection or TLS handshake. A device whose certificate changed since
 * the stream opened (renewed, perhaps with a new key) is refused and the stream closed: it reconnects with the new one.
 */
@Component
class StreamFetch implements DeviceStreamRequest {

    private final DeviceInbox inbox;

    StreamFetch(DeviceInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public String type() {
        return "fetch";
    }

    @Override
    public Mono<Map<String, Object>> handle(DevicePrincipal device, Map<String, Object> request) {
        Object after = request.getOrDefault("after", "0");
        String text = after instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(after);
        if (!text.matches("[0-9]{1,18}")) {
            return Mono.error(ProblemType.VALIDATION_FAILED.exception("after is a cursor: the digits a fetch returned"));
        }
        Object kid = request.get("kid");
        if (kid != null && !(kid instanceof String held && held.matches(MessagingController.KID))) {
            return Mono.error(ProblemType.VALIDATION_FAILED.exception("kid names the message key the device holds"));
        }
        return inbox.fetch(device.orgId(), device.deviceId(), Long.parseLong(text), device.certificateSerial(),
                        (String) kid)
                .map(f -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", "messages");
            event.put("messages", f.messages());
            event.put("cursor", Long.toString(f.cursor()));
            event.put("blocked", f.blocked());
            return event;
        });
    }
}
