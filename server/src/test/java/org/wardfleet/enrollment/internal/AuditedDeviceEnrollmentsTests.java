package org.wardfleet.enrollment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditProblems;
import org.wardfleet.device.Device;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.support.RecordingAuditLog;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** A renewal is audited by its wrapper ({@code device.renew} with the new serial); an unwritable entry fails it. */
class AuditedDeviceEnrollmentsTests {

    private static final DevicePrincipal PHONE = new DevicePrincipal("device-1", "org-1", "COPE", null, "old-serial");
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final DeviceEnrollment.Result RENEWED = new DeviceEnrollment.Result(new Device("device-1", "org-1",
            Ownership.COPE, DevicePlatform.ANDROID, "Pixel 8", "15", "2026-11-01", "1.0", null, List.of(), "new-serial",
            NOW.plusSeconds(86_400), "key", NOW, NOW, DeviceState.ACTIVE, List.of(), null, "inv-1"),
            new CertificateIssuance.Issued("new-serial", NOW.plusSeconds(86_400), "key", List.of()));

    @Test
    void aRenewalIsAuditedWithItsNewSerial() {
        RecordingAuditLog audit = RecordingAuditLog.working();

        StepVerifier.create(new AuditedDeviceEnrollments(enrollment(), audit).renew(PHONE, "csr"))
                .expectNext(RENEWED).verifyComplete();

        assertThat(audit.entries).containsExactly(AuditEvent.of("org-1", Actor.device("device-1"), "device.renew",
                "device-1", Outcome.SUCCESS).withDetail("serial", "new-serial"));
    }

    @Test
    void aRenewalWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedDeviceEnrollments(enrollment(), RecordingAuditLog.refusing())
                        .renew(PHONE, "csr"))
                .expectErrorSatisfies(e -> assertThat(((ProblemException) e).problemType())
                        .isEqualTo(AuditProblems.AUDIT_UNAVAILABLE))
                .verify();
    }

    private static DeviceEnrollments enrollment() {
        return new DeviceEnrollments() {
            @Override
            public Mono<DeviceEnrollment.Result> redeem(String secret, DeviceEnrollment.Request request) {
                return Mono.empty();
            }

            @Override
            public Mono<DeviceEnrollment.Result> redeem(String invitationId, String secret,
                    DeviceEnrollment.Request request) {
                return Mono.empty();
            }

            @Override
            public Mono<DeviceEnrollment.Result> renew(DevicePrincipal caller, String csr) {
                return Mono.just(RENEWED);
            }
        };
    }
}
