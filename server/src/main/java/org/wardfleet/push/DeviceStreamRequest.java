package org.wardfleet.push;

import java.util.Map;

import org.wardfleet.platform.security.DevicePrincipal;

import reactor.core.publisher.Mono;

/**
 * A request a device may send as a text frame on its stream instead of a separate authenticated HTTP call — the
 * stream was authenticated once, on its upgrade request, so a connected phone answering a wake-up costs no new
 * signature, token check or connection. Another feature implements it (messaging: {@code fetch}); the stream routes
 * frames by {@code type}, limits their size and rate, and sends the answer back on the same stream. An implementation
 * re-checks whatever may have changed since the stream opened (device state, compliance) on every request.
 */
public interface DeviceStreamRequest {

    /** The frame's {@code type} this handles, e.g. {@code fetch}. */
    String type();

    /**
     * The answer event for {@code request} (the parsed frame); its {@code type} is the handler's to choose. Fail with
     * a {@link org.wardfleet.platform.web.ProblemException} for a refusal the device should see (its problem type's
     * code goes back in an {@code error} event).
     */
    Mono<Map<String, Object>> handle(DevicePrincipal device, Map<String, Object> request);
}
