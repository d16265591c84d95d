package org.wardfleet.platform.security;

import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Proves which device sent a request, implemented by the device feature. Empty when the request carries no device
 * credential; an error (a {@code ProblemException}) when it carries a bad one.
 */
public interface DeviceAuthenticator {

    Mono<DevicePrincipal> authenticate(ServerWebExchange exchange);
}
