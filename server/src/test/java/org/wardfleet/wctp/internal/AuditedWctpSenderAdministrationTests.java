package org.wardfleet.wctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.support.RecordingAuditLog;
import org.wardfleet.wctp.WctpSenderAdministration;
import org.wardfleet.wctp.WctpSenderAdministration.Registered;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * WCTP senders are audited by their wrapper: a registration, a change and a new security code each answer only once
 * their entry (same action name and fields as ever) is written; an entry that cannot be written fails the change with
 * 503 {@code audit-unavailable}; a refused change and a read record nothing.
 */
class AuditedWctpSenderAdministrationTests {

    private static final Caller ADMIN = new Caller("admin-1", "org-1", null, Set.of(Role.ADMIN));
    private static final Instant AT = Instant.parse("2026-12-07T20:00:00Z");
    private static final Registered SENDER = new Registered("nurse-call", List.of("*"),
            List.of("https://nc.example/wctp"), null, AT, AT);

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void registeringAndChangingASenderWriteTheirAuditEntriesBeforeAnswering() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedWctpSenderAdministration(desk(null), audit);

        StepVerifier.create(audited.register(ADMIN, new WctpSenderAdministration.NewSender("nurse-call",
                "0123456789abcdef", List.of("*"), List.of(), null))).expectNext(SENDER).verifyComplete();
        StepVerifier.create(audited.change(ADMIN, "nurse-call", new WctpSenderAdministration.SenderChange(
                List.of("*"), List.of("https://nc.example/wctp"), null))).expectNext(SENDER).verifyComplete();
        StepVerifier.create(audited.changeCode(ADMIN, "nurse-call", null)).expectNextCount(1).verifyComplete();
        StepVerifier.create(audited.changeCode(ADMIN, "nurse-call", "fedcba9876543210")).expectNextCount(1)
                .verifyComplete();

        assertThat(audit.entries).containsExactly(
                entry("wctp.sender.register"),
                entry("wctp.sender.change").withDetail("allowedRecipients", "[*]").withDetail("responseUrls", "1")
                        .withDetail("certificatePinned", "false"),
                entry("wctp.sender.security-code").withDetail("generated", "true"),
                entry("wctp.sender.security-code").withDetail("generated", "false"));
    }

    @Test
    void aNewSecurityCodeWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedWctpSenderAdministration(desk(null), RecordingAuditLog.refusing())
                        .changeCode(ADMIN, "nurse-call", null))
                .expectErrorSatisfies(RecordingAuditLog::assertAuditUnavailable)
                .verify();
        assertThat(calls).hasValue(1); // the code was changed, as with the audit line inside the desk
    }

    @Test
    void aRefusedChangeAndAReadRecordNothing() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedWctpSenderAdministration(desk(ProblemType.FORBIDDEN.exception("no")), audit);

        StepVerifier.create(audited.change(ADMIN, "nurse-call", new WctpSenderAdministration.SenderChange(
                List.of("*"), List.of(), null))).expectError(ProblemException.class).verify();
        StepVerifier.create(audited.find(ADMIN, "nurse-call")).expectError(ProblemException.class).verify();

        assertThat(audit.entries).isEmpty();
    }

    private static AuditEvent entry(String action) {
        return AuditEvent.of("org-1", Actor.user("admin-1"), action, "nurse-call", Outcome.SUCCESS);
    }

    /** The desk's part: every call answers {@link #SENDER}, or fails with {@code refusal} when one is given. */
    private WctpSenderAdministration desk(RuntimeException refusal) {
        return new WctpSenderAdministration() {
            private <T> Mono<T> answer(T value) {
                return Mono.defer(() -> {
                    calls.incrementAndGet();
                    return refusal == null ? Mono.just(value) : Mono.<T>error(refusal);
                });
            }

            @Override
            public Mono<Registered> register(Caller caller, NewSender sender) {
                return answer(SENDER);
            }

            @Override
            public Mono<SenderPage> list(Caller caller, int page, int size) {
                return answer(new SenderPage(List.of(SENDER), page, size, 1));
            }

            @Override
            public Mono<Registered> find(Caller caller, String senderId) {
                return answer(SENDER);
            }

            @Override
            public Mono<Registered> change(Caller caller, String senderId, SenderChange change) {
                return answer(SENDER);
            }

            @Override
            public Mono<CodeChanged> changeCode(Caller caller, String senderId, String code) {
                return answer(new CodeChanged(senderId, code == null ? "generated-code" : null, AT));
            }

            @Override
            public Mono<GatewayStatus> gateway(Caller caller) {
                return Mono.empty();
            }
        };
    }
}
