package org.wardfleet.wctp.internal;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.wctp.WctpSenderAdministration;

import reactor.core.publisher.Mono;

/**
 * {@link WctpSenderAdministration} audited: each change to a sender is recorded once the desk has made it, and the
 * answer waits for the entry ({@link AuditLog#after}). Reads pass through.
 */
@Primary
@Component
class AuditedWctpSenderAdministration implements WctpSenderAdministration {

    private final WctpSenderAdministration desk;
    private final AuditLog audit;

    @Autowired
    AuditedWctpSenderAdministration(WctpSenderDesk desk, AuditLog audit) {
        this((WctpSenderAdministration) desk, audit);
    }

    AuditedWctpSenderAdministration(WctpSenderAdministration desk, AuditLog audit) {
        this.desk = desk;
        this.audit = audit;
    }

    @Override
    public Mono<Registered> register(Caller caller, NewSender sender) {
        return audit.after(desk.register(caller, sender), registered -> entry(caller, "wctp.sender.register",
                registered.senderId()));
    }

    @Override
    public Mono<SenderPage> list(Caller caller, int page, int size) {
        return desk.list(caller, page, size);
    }

    @Override
    public Mono<Registered> find(Caller caller, String senderId) {
        return desk.find(caller, senderId);
    }

    @Override
    public Mono<Registered> change(Caller caller, String senderId, SenderChange change) {
        return audit.after(desk.change(caller, senderId, change), s -> entry(caller, "wctp.sender.change", senderId)
                .withDetail("allowedRecipients", s.allowedRecipients().toString())
                .withDetail("responseUrls", Integer.toString(s.responseUrls().size()))
                .withDetail("certificatePinned", Boolean.toString(s.clientCertificateSha256() != null)));
    }

    @Override
    public Mono<CodeChanged> changeCode(Caller caller, String senderId, String code) {
        return audit.after(desk.changeCode(caller, senderId, code), changed -> entry(caller,
                "wctp.sender.security-code", senderId).withDetail("generated", Boolean.toString(code == null)));
    }

    @Override
    public Mono<GatewayStatus> gateway(Caller caller) {
        return desk.gateway(caller);
    }

    private static AuditEvent entry(Caller caller, String action, String senderId) {
        return AuditEvent.of(caller.orgId(), Actor.user(caller.userId()), action, senderId, Outcome.SUCCESS);
    }
}
