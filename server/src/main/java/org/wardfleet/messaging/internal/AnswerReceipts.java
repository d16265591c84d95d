package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.AcknowledgementListener;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.time.JobFailures;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Group commit of answers — READ, ACKNOWLEDGED (with a choice), DECLINED, and a desktop's DELIVERED — which are
 * written into the message document: answers arriving together for one message are one update
 * ({@link ReceiptStore#advanceMany}). A roll-call to 10,000 people ("available / not available") gets thousands of
 * answers within a minute; one update each rewrote the 10,000-recipient document per person (about 65 ms each on the
 * embedded server, one after another: 200 answers took 13 s). The sender is told once per pass
 * ({@link SenderNotices}), not once per person.
 */
@Component
class AnswerReceipts implements org.springframework.context.SmartLifecycle {

    /** Answers per pass (one update of the message for all of them). */
    static final int MAX_BATCH = 10_000;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AnswerReceipts.class);

    private final ReceiptStore store;
    private final SenderNotices notices;
    private final ObjectProvider<AcknowledgementListener> listeners;
    private final JobFailures failures;
    private final GroupCommit<Job> commits = new GroupCommit<>(MAX_BATCH, this::write);

    AnswerReceipts(ReceiptStore store, SenderNotices notices, ObjectProvider<AcknowledgementListener> listeners,
            JobFailures failures) {
        this.store = store;
        this.notices = notices;
        this.listeners = listeners;
        this.failures = failures;
    }

    private record Job(String orgId, String messageId, ReceiptStore.Move move, Sinks.One<Message> done)
            implements GroupCommit.Job<Message> {

        @Override
        public String key() {
            return orgId + "/" + messageId;
        }
    }

    /**
     * Moves the user forward to {@code state}: the message as written with this answer in it; empty when that is not
     * a move forward (or the message is recalled).
     */
    Mono<Message> advance(String orgId, String messageId, String userId, ReceiptState state, String reason,
            String choice, Instant at) {
        return commits.submit(() -> new Job(orgId, messageId, new ReceiptStore.Move(userId, state, reason, choice,
                at), Sinks.one()), job -> job.done().asMono());
    }

    private Mono<Void> write(String key, List<Job> jobs) {
        Job first = jobs.get(0);
        return store.advanceMany(first.orgId(), first.messageId(), jobs.stream().map(Job::move).toList())
                .switchIfEmpty(Mono.<ReceiptStore.Moved>fromRunnable(() -> jobs.forEach(j -> j.done().tryEmitEmpty())))
                .flatMap(written -> acknowledged(first, jobs, written)
                        .then(Mono.fromRunnable(() -> complete(jobs, written)))
                        // the sender hears once per pass, whatever happens to the callers
                        .then(Mono.defer(() -> written.moved().contains(Boolean.TRUE)
                                ? notices.receiptsChanged(written.message()).onErrorResume(e -> {
                                    log.warn("Sender of message {} not told about new answers: {}",
                                            written.message().id(), e.toString());
                                    return Mono.empty();
                                }) : Mono.<Void>empty())));
    }

    private static void complete(List<Job> jobs, ReceiptStore.Moved written) {
        for (int i = 0; i < jobs.size(); i++) {
            if (written.moved().get(i)) {
                jobs.get(i).done().tryEmitValue(written.message());
            } else {
                jobs.get(i).done().tryEmitEmpty();
            }
        }
    }

    /**
     * The first acknowledgement this pass wrote goes to every {@link AcknowledgementListener} before the callers are
     * answered: a phone that acknowledged a page and then asks for it finds it ACKNOWLEDGED.
     */
    private Mono<Void> acknowledged(Job first, List<Job> jobs, ReceiptStore.Moved written) {
        return told(first, jobs, written, ReceiptState.ACKNOWLEDGED)
                .then(Mono.defer(() -> told(first, jobs, written, ReceiptState.DECLINED)));
    }

    private Mono<Void> told(Job first, List<Job> jobs, ReceiptStore.Moved written, ReceiptState state) {
        for (int i = 0; i < jobs.size(); i++) {
            ReceiptStore.Move move = jobs.get(i).move();
            if (written.moved().get(i) && state == move.state()) {
                AcknowledgementListener.Acknowledged answer = new AcknowledgementListener.Acknowledged(first.orgId(),
                        first.messageId(), move.userId(), move.at());
                return Flux.fromStream(listeners.orderedStream())
                        .concatMap(listener -> failures.isolate("acknowledgement-listeners",
                                "message " + first.messageId(), state == ReceiptState.DECLINED
                                        ? listener.declined(answer) : listener.acknowledged(answer)))
                        .then();
            }
        }
        return Mono.empty();
    }

    @Override
    public void start() {
        commits.start();
    }

    @Override
    public void stop() {
        commits.stop();
    }

    @Override
    public int getPhase() {
        return commits.getPhase();
    }

    @Override
    public boolean isRunning() {
        return commits.isRunning();
    }
}
