package org.wardfleet.compliance.internal;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.attestation.EvidenceVerifier;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.compliance.ComplianceProblems;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceKeys;
import org.wardfleet.device.Devices;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.DevicePolicies;
import org.wardfleet.policy.EffectivePolicy;

import com.nimbusds.jose.JWSObject;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Takes a posture report: checks it is signed by the device's enrolled key, consumes its nonce, verifies the hardware
 * evidence bound to that nonce, evaluates it against the device's effective policy, and records the result (current
 * state, history, device timeline on a change, audit).
 */
@Component
class PostureReports {

    static final int MAX_CHAIN = 10;

    private final Devices devices;
    private final DevicePolicies policies;
    private final EvidenceVerifier evidence;
    private final AttestationNonces nonces;
    private final ComplianceRepository repository;
    private final AuditLog audit;
    private final Clock clock;
    private final EnforcementEngine enforcement;
    private final SecurityEvents events;
    private final AppleKeys appleKeys;
    private final int burstThreshold;
    private final java.time.Duration burstWindow;

    PostureReports(Devices devices, DevicePolicies policies, EvidenceVerifier evidence, AttestationNonces nonces,
            ComplianceRepository repository, AuditLog audit, Clock clock, EnforcementEngine enforcement,
            SecurityEvents events, AppleKeys appleKeys, @Value("${wardfleet.events.burst-threshold:10}") int burstThreshold,
            @Value("${wardfleet.events.burst-window:10m}") java.time.Duration burstWindow) {
        this.enforcement = enforcement;
        this.events = events;
        this.appleKeys = appleKeys;
        this.burstThreshold = burstThreshold;
        this.burstWindow = burstWindow;
        this.devices = devices;
        this.policies = policies;
        this.evidence = evidence;
        this.nonces = nonces;
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
    }

    /** Hardware evidence as sent: an Android key-attestation chain (base64 DER, leaf first) or an App Attest object. */
    record SubmittedEvidence(List<String> androidKeyChain, String appleAttestation, String keyId,
            String playIntegrityToken, String appleAssertion) {
    }

    record Result(ComplianceState state, List<Map<String, Object>> reasons, Map<String, Object> evidence) {
    }

    /**
     * {@code authenticated}: the device record its authentication read on this request, or null (then it is read
     * here).
     */
    Mono<Result> submit(String orgId, String deviceId, Device authenticated, String reportJws,
            SubmittedEvidence submitted) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(reportJws);
        } catch (ParseException | NullPointerException e) {
            return Mono.error(ComplianceProblems.REPORT_INVALID.exception("report: not a compact JWS"));
        }
        Mono<Device> device = authenticated != null && authenticated.id().equals(deviceId)
                && authenticated.orgId().equals(orgId) ? Mono.just(authenticated)
                : devices.find(orgId, deviceId)
                        .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("Unknown device")));
        // the report's ES256 check on the pool for crypto, never on an event loop or the database driver's thread
        return device.publishOn(Schedulers.boundedElastic())
                .flatMap(known -> {
                    if (!DeviceKeys.signedBy(known.publicKey(), jws)) {
                        return audit.record(AuditEvent.of(orgId, Actor.device(deviceId), "compliance.report",
                                        deviceId, Outcome.DENIED).withDetail("reason", "signature"))
                                .then(events.publish(orgId, "attestation.signature-invalid", deviceId, Map.of()))
                                .then(Mono.error(ComplianceProblems.REPORT_SIGNATURE_INVALID.exception(
                                        "The report is not signed by this device's enrolled key")));
                    }
                    PostureReport report = parse(jws.getPayload().toJSONObject());
                    // the nonce's use, the evidence and the effective policy do not depend on each other: asked at
                    // once, so a report waits for one database round trip here, not three in a row (issue 24)
                    return Mono.zip(nonces.consume(orgId, deviceId, report.nonce()),
                                    verify(orgId, deviceId, submitted, report.nonce()), policies.effective(known))
                            .flatMap(found -> evaluate(known, report, found.getT2(), found.getT1(), found.getT3()));
                });
    }

    private Mono<Evidence> verify(String orgId, String deviceId, SubmittedEvidence submitted, String nonce) {
        Instant now = clock.instant();
        byte[] challenge = nonce.getBytes(StandardCharsets.UTF_8);
        if (submitted == null) {
            return Mono.just(Evidence.NONE);
        }
        if (submitted.androidKeyChain() != null && !submitted.androidKeyChain().isEmpty()) {
            List<byte[]> chain = new ArrayList<>();
            for (String b64 : submitted.androidKeyChain()) {
                try {
                    chain.add(Base64.getMimeDecoder().decode(b64));
                } catch (IllegalArgumentException e) {
                    return Mono.error(ComplianceProblems.REPORT_INVALID.exception("androidKeyChain: not base64 DER"));
                }
            }
            return evidence.androidKeyChain(chain, challenge, now).map(Evidence::of);
        }
        if (submitted.appleAttestation() != null) {
            byte[] object;
            try {
                object = Base64.getMimeDecoder().decode(submitted.appleAttestation());
            } catch (IllegalArgumentException e) {
                return Mono.error(ComplianceProblems.REPORT_INVALID.exception("appleAttestation: not base64"));
            }
            // App Attest binds the server challenge through clientDataHash = SHA-256(nonce)
            byte[] clientDataHash = sha256(challenge);
            return evidence.appleAttestation(object, submitted.keyId(), clientDataHash, now)
                    .flatMap(a -> a.valid() ? appleKeys.attested(orgId, deviceId, submitted.keyId(), a.publicKey())
                            .thenReturn(a) : Mono.just(a))
                    .map(Evidence::of);
        }
        if (submitted.appleAssertion() != null) {
            byte[] assertion;
            try {
                assertion = Base64.getMimeDecoder().decode(submitted.appleAssertion());
            } catch (IllegalArgumentException e) {
                return Mono.error(ComplianceProblems.REPORT_INVALID.exception("appleAssertion: not base64"));
            }
            return appleKeys.find(orgId, deviceId, String.valueOf(submitted.keyId()))
                    .flatMap(key -> evidence.appleAssertion(assertion, key.publicKey(), sha256(challenge),
                                    key.counter())
                            .flatMap(a -> !a.valid() ? Mono.just(Evidence.assertion(a))
                                    : appleKeys.advance(orgId, deviceId, a.counter()).map(moved -> moved
                                            ? Evidence.assertion(a)
                                            : Evidence.assertion(new EvidenceVerifier.AppleAssertion(false,
                                                    org.wardfleet.attestation.AttestationFailure.CHALLENGE_MISMATCH,
                                                    "counter already used", a.counter())))))
                    .defaultIfEmpty(Evidence.assertion(new EvidenceVerifier.AppleAssertion(false,
                            org.wardfleet.attestation.AttestationFailure.MALFORMED, "No attested key with this id", 0)));
        }
        if (submitted.playIntegrityToken() != null) {
            return evidence.playIntegrity(submitted.playIntegrityToken(), nonce, now).map(Evidence::of);
        }
        return Mono.just(Evidence.NONE);
    }

    private Mono<Result> evaluate(Device device, PostureReport report, Evidence ev, AttestationNonces.Use use,
            EffectivePolicy policy) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ComplianceEvaluator.Evaluation evaluation = ComplianceEvaluator.evaluate(policy.settings(),
                device.platform().wire(), report, ev, use, LocalDate.ofInstant(now, ZoneOffset.UTC));
        Map<String, Object> evidenceView = new LinkedHashMap<>();
        evidenceView.put("kind", ev.kind());
        evidenceView.put("valid", ev.valid());
        evidenceView.put("strength", ev.strength());
        if (ev.failure() != null) {
            evidenceView.put("failure", ev.failure().name());
        }
        // the current state and the history entry are independent writes: both at once
        Mono<ComplianceRepository.Saved> saved = repository.save(new ComplianceRepository.Current(device.id(),
                device.orgId(), evaluation.state(), evaluation.reasons(), now, now, ev.strength(), policy.version(),
                false));
        Mono<Void> appended = repository.append(device.orgId(), device.id(),
                new org.wardfleet.compliance.ComplianceReport(null, now, evaluation.state(), evaluation.reasons(),
                        evidenceView, report.policyVersion(), report.osVersion(),
                        Objects.toString(report.securityPatchLevel(), null)));
        return Mono.zip(saved, appended.thenReturn(true))
                .flatMap(written -> alarms(device, evaluation)
                        .then(written.getT1().changed() ? recordChange(device, evaluation)
                                .then(enforcement.stateChanged(device, policy, evaluation.state(),
                                        written.getT1().since()))
                                : Mono.empty()))
                .thenReturn(new Result(evaluation.state(), evaluation.reasons(), evidenceView));
    }

    /** Reasons that are security events in their own right, whatever the state was before. */
    private Mono<Void> alarms(Device device, ComplianceEvaluator.Evaluation evaluation) {
        return Flux.fromIterable(evaluation.reasons())
                .map(r -> String.valueOf(r.get("code")))
                .mapNotNull(code -> ALARMS.get(code))
                .distinct()
                .concatMap(type -> events.publish(device.orgId(), type, device.id(),
                        Map.of("ownership", device.ownership().name())))
                .then();
    }

    static final Map<String, String> ALARMS = Map.of("ROOTED", "device.rooted", "BOOTLOADER_UNLOCKED",
            "device.bootloader-unlocked", "ATTESTATION_INVALID", "attestation.invalid", "NONCE_REPLAYED",
            "attestation.nonce-replayed", "DEVICE_INTEGRITY_FAILED", "device.integrity-failed");

    /** Many devices turning non-compliant at once (a bad update, an attack) is itself an event, once per window. */
    private Mono<Void> burst(Device device) {
        Instant since = clock.instant().minus(burstWindow);
        return events.publish(device.orgId(), "compliance.non-compliant", device.id(), Map.of())
                .then(events.count(device.orgId(), "compliance.non-compliant", since))
                .filter(n -> n >= burstThreshold)
                .flatMap(n -> events.count(device.orgId(), "compliance.burst", since)
                        .filter(already -> already == 0)
                        .flatMap(none -> events.publish(device.orgId(), "compliance.burst", null,
                                Map.of("devices", n, "windowMinutes", burstWindow.toMinutes()))))
                .then();
    }

    private Mono<Void> recordChange(Device device, ComplianceEvaluator.Evaluation evaluation) {
        String codes = evaluation.reasons().stream().map(r -> String.valueOf(r.get("code"))).toList().toString();
        Mono<Void> burst = evaluation.state() == ComplianceState.NON_COMPLIANT ? burst(device) : Mono.empty();
        return burst.then(devices.recordEvent(device.orgId(), device.id(), "compliance." + evaluation.state().name()
                        .toLowerCase(java.util.Locale.ROOT), codes)
                .then(audit.record(AuditEvent.of(device.orgId(), Actor.device(device.id()), "compliance.state",
                        device.id(), Outcome.SUCCESS).withDetail("state", evaluation.state().name())
                        .withDetail("reasons", codes))));
    }

    static PostureReport parse(Map<String, Object> claims) {
        try {
            LocalDate patch = claims.get("securityPatchLevel") == null ? null
                    : LocalDate.parse(String.valueOf(claims.get("securityPatchLevel")));
            Object apps = claims.get("installedManagedApps");
            List<String> installed = new ArrayList<>();
            if (apps instanceof List<?> list) {
                if (list.size() > 500) {
                    throw ComplianceProblems.REPORT_INVALID.exception("installedManagedApps: at most 500");
                }
                list.forEach(a -> installed.add(String.valueOf(a)));
            }
            String nonce = (String) claims.get("nonce");
            if (nonce == null || nonce.isBlank() || nonce.length() > 128) {
                throw ComplianceProblems.REPORT_INVALID.exception("nonce: required (from the challenge endpoint)");
            }
            return new PostureReport(nonce, string(claims, "osVersion"), patch, bool(claims, "encrypted"),
                    bool(claims, "passcodeSet"), string(claims, "passcodeQuality"), bool(claims, "rooted"),
                    bool(claims, "developerOptions"), bool(claims, "unknownSources"), installed,
                    string(claims, "policyVersion"));
        } catch (DateTimeParseException | ClassCastException e) {
            throw ComplianceProblems.REPORT_INVALID.exception("Report field has the wrong type: %s", e.getMessage());
        }
    }

    private static String string(Map<String, Object> claims, String name) {
        Object v = claims.get(name);
        if (v != null && !(v instanceof String)) {
            throw ComplianceProblems.REPORT_INVALID.exception("%s: must be a string", name);
        }
        return (String) v;
    }

    private static Boolean bool(Map<String, Object> claims, String name) {
        Object v = claims.get(name);
        if (v != null && !(v instanceof Boolean)) {
            throw ComplianceProblems.REPORT_INVALID.exception("%s: must be true or false", name);
        }
        return (Boolean) v;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
