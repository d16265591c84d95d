package org.wardfleet.wctp.internal;

import java.time.Clock;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.wctp.WctpSenderAdministration;

import reactor.core.publisher.Mono;

/**
 * {@link WctpSenderAdministration} over {@link WctpSenders}: roles, response-URL checks ({@link ResponseUrlTargets}).
 * Audited by {@link AuditedWctpSenderAdministration}. The gateway's status comes from {@link PagerFallback}'s claims.
 */
@Component
class WctpSenderDesk implements WctpSenderAdministration {

    private final WctpSenders senders;
    private final ResponseUrlTargets targets;
    private final PagerFallback fallback;
    private final Clock clock;

    WctpSenderDesk(WctpSenders senders, ResponseUrlTargets targets, PagerFallback fallback, Clock clock) {
        this.senders = senders;
        this.targets = targets;
        this.fallback = fallback;
        this.clock = clock;
    }

    @Override
    public Mono<Registered> register(Caller caller, NewSender body) {
        caller.requireAny(Role.ADMIN);
        return targets.checkRegistered(body.responseUrls())
                .then(Mono.defer(() -> senders.register(caller.orgId(), body.senderId(), body.securityCode(),
                        body.allowedRecipients(), body.responseUrls(), body.clientCertificateSha256())))
                .onErrorResume(Documents::isDuplicateKey, taken -> Mono.error(ProblemType.CONFLICT.exception(
                        "Sender id %s is taken", body.senderId())))
                .flatMap(s -> senders.find(caller.orgId(), s.senderId()));
    }

    @Override
    public Mono<SenderPage> list(Caller caller, int page, int size) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        PageRequest request = PageRequest.of(page, size);
        return senders.list(caller.orgId(), request.skip(), request.size()).collectList()
                .zipWith(senders.count(caller.orgId()))
                .map(t -> new SenderPage(t.getT1(), page, size, t.getT2()));
    }

    @Override
    public Mono<Registered> find(Caller caller, String id) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return senders.find(caller.orgId(), id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    @Override
    public Mono<Registered> change(Caller caller, String id, SenderChange body) {
        caller.requireAny(Role.ADMIN);
        return senders.find(caller.orgId(), id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(before -> targets.checkRegistered(body.responseUrls())
                        .then(Mono.defer(() -> senders.change(caller.orgId(), id, body.allowedRecipients(),
                                body.responseUrls(), body.clientCertificateSha256()))))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    @Override
    public Mono<CodeChanged> changeCode(Caller caller, String id, String chosen) {
        caller.requireAny(Role.ADMIN);
        boolean generated = chosen == null;
        String code = generated ? WctpSenderAdministration.newCode() : chosen;
        return senders.changeCode(caller.orgId(), id, code, clock.instant())
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .map(s -> new CodeChanged(id, generated ? code : null, s.securityCodeChangedAt()));
    }

    @Override
    public Mono<GatewayStatus> gateway(Caller caller) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return fallback.status(caller.orgId());
    }

    private static RuntimeException notFound(String id) {
        return ProblemType.NOT_FOUND.exception("No WCTP sender %s in your organisation", id);
    }
}
