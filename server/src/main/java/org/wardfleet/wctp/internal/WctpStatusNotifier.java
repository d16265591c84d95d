package org.wardfleet.wctp.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.w3c.dom.Element;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.messaging.PageReceipts;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Status back to WCTP senders. Each pass (1) looks at the receipts of every open submission and records, once each,
 * the DELIVERED and READ notifications the sender asked for and the MCR answer chosen on a device; (2) POSTs the
 * recorded ones that are due to the sender's registered response URL ({@code wctp-StatusInfo},
 * {@code wctp-MessageReply}), retrying with back-off on network errors, non-2xx answers and 6xx WCTP results, and
 * giving up (audited) after {@code wardfleet.wctp.status.attempts}. Without a URL they wait for
 * {@code wctp-ClientQuery}. Connections go only where {@link ResponseUrlTargets} allows, checked on the address
 * actually connected to; a refused one fails at once ({@code final:address-refused}).
 */
@Component
class WctpStatusNotifier implements Job {

    /** Failure isolation per item (page, step, organisation): counted under this job's name. */
    private final JobRun items;

    static final Duration LOOKBACK = Duration.ofHours(24);

    private final WctpSubmissions submissions;
    private final PageReceipts paging;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration every;
    private final int attempts;
    private final Duration backoff;
    private final WebClient http;

    WctpStatusNotifier(JobFailures failures,
            WctpSubmissions submissions, ResponseUrlTargets targets, PageReceipts paging, AuditLog audit,
            Clock clock,
            @Value("${wardfleet.wctp.status.check:2s}") Duration every,
            @Value("${wardfleet.wctp.status.attempts:8}") int attempts,
            @Value("${wardfleet.wctp.status.backoff:5s}") Duration backoff) {
        this.items = new JobRun(name(), failures);
        this.submissions = submissions;
        this.http = WebClient.builder().clientConnector(new ReactorClientHttpConnector(targets.httpClient())).build();
        this.paging = paging;
        this.audit = audit;
        this.clock = clock;
        this.every = every;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** One pass at {@code now}: records what is newly owed, then POSTs what is due; returns how many POSTs succeeded. */
    Mono<Integer> check(Instant now) {
        return submissions.open(now.minus(LOOKBACK))
                .concatMap(s -> items.isolate("submission " + s.pageId(), observe(s, now)))
                .then(Mono.defer(() -> submissions.due(now, 200)
                        .flatMap(st -> items.isolate("status " + st.id(), post(st, now)), 8)
                        .reduce(0, Integer::sum)));
    }

    private Mono<Void> observe(WctpSubmissions.Submission s, Instant now) {
        return paging.recipientReceipts(s.orgId(), s.pageId()).defaultIfEmpty(List.of()).flatMap(receipts -> {
            List<WctpSubmissions.Status> owed = new java.util.ArrayList<>();
            for (String kind : s.wanted()) {
                if (s.recorded().contains(kind)) {
                    continue;
                }
                String answer = reached(kind, receipts);
                if (answer != null) {
                    String xml = "REPLY".equals(kind)
                            ? WctpXml.messageReply(s.senderId(), s.recipientId(), s.wctpMessageId(), answer, now)
                            : WctpXml.statusInfo(s.senderId(), s.recipientId(), s.wctpMessageId(), kind, now);
                    owed.add(new WctpSubmissions.Status(s.pageId() + ":" + kind, s.pageId(), s.orgId(),
                            s.senderId(), kind, answer, s.responseUrl(), xml,
                            s.responseUrl() == null ? "POLL" : "PENDING", 0, now, now));
                }
            }
            boolean allOwed = owed.size() + s.recorded().size() >= s.wanted().size();
            return Flux.fromIterable(owed).concatMap(st -> submissions.record(s, st))
                    .then(allOwed ? submissions.close(s.pageId()) : Mono.empty());
        });
    }

    /** The answer for a kind once a recipient reached it (the choice for REPLY, the kind otherwise), else null. */
    static String reached(String kind, List<PageReceipts.Receipt> receipts) {
        // DELIVERED and READ are receipt states; the other kind (REPLY) is an answer
        ReceiptState state = ReceiptState.parse(kind);
        for (PageReceipts.Receipt r : receipts) {
            if (state != null ? r.state().reached(state) : r.choice() != null) {
                return state != null ? kind : r.choice();
            }
        }
        return null;
    }

    private Mono<Integer> post(WctpSubmissions.Status st, Instant now) {
        return http.post().uri(st.url()).contentType(MediaType.TEXT_XML).bodyValue(st.xml())
                .retrieve().bodyToMono(String.class).defaultIfEmpty("")
                .timeout(Duration.ofSeconds(10))
                .map(WctpStatusNotifier::verdict)
                // a refused address (the URL's DNS now leads somewhere forbidden) will not get better by retrying
                .onErrorResume(e -> Mono.just(refused(e) ? "final:address-refused"
                        : "retry:" + e.getClass().getSimpleName()))
                .flatMap(verdict -> {
                    if ("ok".equals(verdict)) {
                        return submissions.attempted(st, "SENT", now, null).thenReturn(1);
                    }
                    boolean last = verdict.startsWith("final:") || st.attempts() + 1 >= attempts;
                    if (last) {
                        return submissions.attempted(st, "FAILED", now, verdict)
                                .filter(moved -> moved)
                                .flatMap(moved -> audit.record(AuditEvent.of(st.orgId(), Actor.system(),
                                        "wctp.status.failed", st.pageId(), Outcome.FAILURE)
                                        .withDetail("kind", st.kind()).withDetail("sender", st.senderId())))
                                .thenReturn(0);
                    }
                    Duration wait = backoff.multipliedBy(1L << Math.min(st.attempts(), 6));
                    return submissions.attempted(st, "PENDING", now.plus(wait), verdict).thenReturn(0);
                });
    }

    private static boolean refused(Throwable error) {
        return NestedExceptionUtils.getMostSpecificCause(error) instanceof ResponseUrlTargets.RefusedAddress;
    }

    /** ok; retry:… (6xx, unreadable); final:… (a 4xx/5xx WCTP refusal: retrying cannot change it). */
    private static String verdict(String body) {
        if (body.isBlank()) {
            return "ok";
        }
        try {
            Element root = WctpXml.parse(body.getBytes(StandardCharsets.UTF_8));
            Element confirmation = WctpXml.child(root, "wctp-Confirmation");
            Element failure = confirmation == null ? null : WctpXml.child(confirmation, "wctp-Failure");
            if (failure == null) {
                return "ok";
            }
            String code = failure.getAttribute("errorCode");
            return code.startsWith("6") ? "retry:" + code : "final:" + code;
        } catch (WctpXml.Refused unreadable) {
            return "ok"; // a 2xx with a body that is not WCTP: the endpoint took it
        }
    }

    @Override
    public String name() {
        return "wctp-status-notifier";
    }

    @Override
    public java.time.Duration interval() {
        return every;
    }

    @Override
    public Mono<?> run() {
        return check(clock.instant());
    }
}
