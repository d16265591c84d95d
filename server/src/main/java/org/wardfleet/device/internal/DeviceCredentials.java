package org.wardfleet.device.internal;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.AuthenticatedDevice;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceKeys;
import org.wardfleet.device.DeviceState;
import org.wardfleet.pki.DeviceCertificates;
import org.wardfleet.platform.security.DeviceAuthenticator;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.PublicUrl;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves which device is calling. Mutual TLS: the client certificate must be the device's current one, carry its
 * enrolled key, chain to its organisation's CA and not be revoked. Behind a TLS-terminating proxy: a JWT signed by
 * the enrolled key, bound to this method and URL (like DPoP), at most 5 minutes long and never replayed. Either way
 * a retired, wiped, unknown or revoked device is refused on this very request.
 */
@Component
class DeviceCredentials implements DeviceAuthenticator {

    static final JOSEObjectType DEVICE_JWT = new JOSEObjectType("wf-device+jwt");
    static final String SCHEME = "Device ";
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    static final Duration SKEW = Duration.ofSeconds(30);
    static final String SAN_PREFIX = "urn:wardfleet:device:";

    static final ProblemType INVALID = new ProblemType("device-credential-invalid", HttpStatus.UNAUTHORIZED,
            "Device credential invalid");
    static final ProblemType RETIRED = new ProblemType("device-retired", HttpStatus.UNAUTHORIZED,
            "Device retired");
    static final ProblemType REPLAYED = new ProblemType("device-token-replayed", HttpStatus.UNAUTHORIZED,
            "Device token already used");

    private final DeviceRepository devices;
    private final DeviceCertificates certificates;
    private final ReplayCache replays;
    private final RemoteActions remoteActions;
    private final AuditLog audit;
    private final org.wardfleet.events.SecurityEvents events;
    private final PublicUrl publicUrl;
    private final Clock clock;

    DeviceCredentials(DeviceRepository devices, DeviceCertificates certificates, ReplayCache replays,
            RemoteActions remoteActions, AuditLog audit, org.wardfleet.events.SecurityEvents events,
            PublicUrl publicUrl, Clock clock) {
        this.remoteActions = remoteActions;
        this.events = events;
        this.devices = devices;
        this.certificates = certificates;
        this.replays = replays;
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public Mono<DevicePrincipal> authenticate(ServerWebExchange exchange) {
        SslInfo ssl = exchange.getRequest().getSslInfo();
        if (ssl != null && ssl.getPeerCertificates() != null && ssl.getPeerCertificates().length > 0) {
            return clientCertificate(ssl.getPeerCertificates()[0], exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return deviceJwt(authorization.substring(SCHEME.length()).trim(), exchange);
        }
        return Mono.empty();
    }

    private Mono<DevicePrincipal> clientCertificate(X509Certificate cert, ServerWebExchange exchange) {
        String deviceId = deviceIdOf(cert);
        if (deviceId == null) {
            return Mono.error(INVALID.exception("The client certificate is not a Wardfleet device certificate"));
        }
        String serial = cert.getSerialNumber().toString(16);
        return devices.findForAuthentication(deviceId)
                .switchIfEmpty(Mono.error(() -> INVALID.exception("Unknown device")))
                .flatMap(device -> {
                    if (!serial.equals(device.certificateSerial())
                            || !DeviceKeys.encode(cert.getPublicKey()).equals(device.publicKey())) {
                        return refuse(device, "superseded-certificate", INVALID.exception(
                                "This is not the device's current certificate"));
                    }
                    Instant now = clock.instant();
                    if (now.isAfter(cert.getNotAfter().toInstant()) || now.isBefore(cert.getNotBefore().toInstant())) {
                        return refuse(device, "certificate-expired", INVALID.exception("The certificate has expired"));
                    }
                    return certificates.issuingCa(device.orgId())
                            .flatMap(ca -> signedBy(cert, ca) ? certificates.status(device.orgId(),
                                            device.certificateSerial())
                                    .flatMap(status -> usable(device, status, exchange))
                                    : refuse(device, "untrusted-certificate",
                                            INVALID.exception("The certificate was not issued by this organisation")));
                });
    }

    private Mono<DevicePrincipal> deviceJwt(String token, ServerWebExchange exchange) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Mono.error(INVALID.exception("The device token is not a signed JWT"));
        }
        if (!DEVICE_JWT.equals(jwt.getHeader().getType()) || jwt.getHeader().getKeyID() == null) {
            return Mono.error(INVALID.exception("The device token needs typ wf-device+jwt and kid"));
        }
        String deviceId = jwt.getHeader().getKeyID();
        return devices.findForAuthentication(deviceId)
                .switchIfEmpty(Mono.error(() -> INVALID.exception("Unknown device")))
                // the ES256 check off the database driver's thread: on it, every other request's I/O waited for it
                .publishOn(Schedulers.boundedElastic())
                .flatMap(device -> {
                    String problem = check(jwt, claims, device, exchange);
                    if (problem != null) {
                        return refuse(device, problem, INVALID.exception("Device token refused: %s", problem));
                    }
                    // the token's first use and the certificate's status are independent: both asked at once
                    return Mono.zip(replays.firstUse(deviceId, claims.getJWTID(),
                                    claims.getExpirationTime().toInstant()),
                                    certificates.status(device.orgId(), device.certificateSerial()))
                            .flatMap(found -> found.getT1() ? usable(device, found.getT2(), exchange)
                                    : refuse(device, "replayed",
                                            REPLAYED.exception("This device token was already used")));
                });
    }

    /** The reason the token is unacceptable, or null. */
    private String check(SignedJWT jwt, JWTClaimsSet claims, Device device, ServerWebExchange exchange) {
        try {
            PublicKey key = DeviceKeys.parse(device.publicKey());
            if (!DeviceKeys.allowedAlgorithms(key).contains(jwt.getHeader().getAlgorithm())) {
                return "algorithm";
            }
            if (!jwt.verify(DeviceKeys.verifier(key))) {
                return "signature";
            }
        } catch (GeneralSecurityException | JOSEException | IllegalArgumentException e) {
            return "signature";
        }
        Instant now = clock.instant();
        if (!device.id().equals(claims.getSubject()) || !device.id().equals(claims.getIssuer())) {
            return "subject";
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(publicUrl.publicUrl().toString())) {
            return "audience";
        }
        if (claims.getIssueTime() == null || claims.getExpirationTime() == null || claims.getJWTID() == null
                || claims.getJWTID().length() > 128) {
            return "claims";
        }
        Instant iat = claims.getIssueTime().toInstant();
        Instant exp = claims.getExpirationTime().toInstant();
        if (iat.isAfter(now.plus(SKEW)) || !exp.isAfter(now.minus(SKEW)) || exp.isAfter(iat.plus(MAX_LIFETIME))
                || exp.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            return "expired";
        }
        String method = exchange.getRequest().getMethod().name();
        String url = publicUrl.resolve(exchange.getRequest().getPath().value());
        if (!method.equals(claims.getClaim("htm")) || !url.equals(claims.getClaim("htu"))) {
            return "wrong-request";
        }
        return null;
    }

    /** {@code status}: the device's current certificate's. A usable device is handed on to the request's handler. */
    private Mono<DevicePrincipal> usable(Device device, DeviceCertificates.Status status, ServerWebExchange exchange) {
        if (!device.state().mayAuthenticate()) {
            // the device has proved its key: this refusal is how it hears of its retirement. The first such call is
            // the one the retire's wake-up asked for, not a stolen phone: audited, but no alarm for it
            Mono<Boolean> firstTold = device.state() == DeviceState.RETIRED
                    ? remoteActions.toldRetired(device.orgId(), device.id()) : Mono.just(false);
            return firstTold.flatMap(first -> refuse(device, "retired", !first, RETIRED.exception(
                    "This device is %s: remove work data and enroll again", device.state())));
        }
        if (status != DeviceCertificates.Status.GOOD) {
            return refuse(device, "revoked", RETIRED.exception("This device's certificate is revoked"));
        }
        AuthenticatedDevice.remember(exchange, device);
        return Mono.just(new DevicePrincipal(device.id(), device.orgId(), device.ownership().name(),
                device.assignedUserId(), device.certificateSerial()));
    }

    private <T> Mono<T> refuse(Device device, String reason, ProblemException problem) {
        // a credential of a retired, wiped or revoked device in use is what a stolen phone looks like: tell IT now
        return refuse(device, reason, "retired".equals(reason) || "revoked".equals(reason)
                || "replayed".equals(reason), problem);
    }

    private <T> Mono<T> refuse(Device device, String reason, boolean alarming, ProblemException problem) {
        Mono<Void> audited = audit.record(AuditEvent.of(device.orgId(), Actor.device(device.id()),
                "device.authenticate", device.id(), Outcome.DENIED).withDetail("reason", reason));
        Mono<Void> alarmed = alarming ? events.publish(device.orgId(), "replayed".equals(reason)
                ? "device.token-replayed" : "device.retired-credential-used", device.id(),
                java.util.Map.of("state", device.state().name())) : Mono.empty();
        return audited.then(alarmed).then(Mono.error(problem));
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String deviceIdOf(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return null;
            }
            for (List<?> name : names) {
                // 6 = uniformResourceIdentifier
                if (Integer.valueOf(6).equals(name.get(0)) && name.get(1) instanceof String uri
                        && uri.startsWith(SAN_PREFIX)) {
                    return uri.substring(SAN_PREFIX.length());
                }
            }
            return null;
        } catch (CertificateParsingException e) {
            return null;
        }
    }
}
