package org.wardfleet.device;

import java.util.Optional;

import org.springframework.web.server.ServerWebExchange;

/**
 * The device record that device authentication read on this request, handed on to the request's handler so that it
 * need not read the same document again (issue 24: one database round trip less per device request). Set only by the
 * device authenticator, after the device proved possession of its key and was found usable; a request attribute, so a
 * client cannot set it. A handler that finds none (or another device's) reads the device itself.
 */
public final class AuthenticatedDevice {

    private static final String ATTRIBUTE = AuthenticatedDevice.class.getName();

    private AuthenticatedDevice() {
    }

    public static void remember(ServerWebExchange exchange, Device device) {
        exchange.getAttributes().put(ATTRIBUTE, device);
    }

    /** The device this request authenticated as, if it is {@code deviceId} of {@code orgId}. */
    public static Optional<Device> of(ServerWebExchange exchange, String orgId, String deviceId) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE)).filter(Device.class::isInstance)
                .map(Device.class::cast)
                .filter(device -> device.id().equals(deviceId) && device.orgId().equals(orgId));
    }
}
