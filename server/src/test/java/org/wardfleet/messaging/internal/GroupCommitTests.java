package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A server that stops while receipts are queued, or being written, answers every caller with a retryable
 * {@code unavailable} — a phone is told to send its receipt again, never left waiting for an answer that cannot come.
 */
class GroupCommitTests {

    record Receipt(String key, Sinks.One<String> done) implements GroupCommit.Job<String> {
    }

    @Test
    void stoppingFailsTheReceiptsBeingWrittenAndThoseWaitingWithARetryableError() {
        List<String> written = new CopyOnWriteArrayList<>();
        Sinks.One<Void> storageAnswers = Sinks.one(); // the first write hangs until the test says otherwise
        GroupCommit<Receipt> commits = new GroupCommit<>(100, (key, jobs) -> {
            written.add(key);
            return "stuck".equals(key) ? storageAnswers.asMono()
                    : Mono.fromRunnable(() -> jobs.forEach(j -> j.done().tryEmitValue("ok")));
        });
        commits.start();

        Mono<String> beingWritten = commits.submit(() -> new Receipt("stuck", Sinks.one()), j -> j.done().asMono())
                .cache();
        beingWritten.subscribe(v -> { }, e -> { });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> written.contains("stuck"));
        Mono<String> waiting = commits.submit(() -> new Receipt("other", Sinks.one()), j -> j.done().asMono())
                .cache();
        waiting.subscribe(v -> { }, e -> { });
        assertThat(written).containsExactly("stuck"); // passes run one after another: "other" waits its turn

        commits.stop();

        for (Mono<String> caller : List.of(beingWritten, waiting)) {
            assertThatThrownBy(() -> caller.block(Duration.ofSeconds(60)))
                    .isInstanceOfSatisfying(ProblemException.class,
                            e -> assertThat(e.problemType()).isEqualTo(ProblemType.UNAVAILABLE));
        }
        assertThat(commits.isRunning()).isFalse();
        assertThat(written).containsExactly("stuck");
    }

    @Test
    void receiptsForTheSameMessageArrivingTogetherAreOneWrite() {
        List<Integer> writes = new CopyOnWriteArrayList<>();
        Sinks.One<Void> firstPass = Sinks.one();
        GroupCommit<Receipt> commits = new GroupCommit<>(100, (key, jobs) -> {
            writes.add(jobs.size());
            Mono<Void> wait = writes.size() == 1 ? firstPass.asMono() : Mono.empty();
            return wait.then(Mono.fromRunnable(() -> jobs.forEach(j -> j.done().tryEmitValue(key))));
        });
        commits.start();
        try {
            List<Mono<String>> callers = new java.util.ArrayList<>();
            for (int i = 0; i < 51; i++) {
                Mono<String> caller = commits.submit(() -> new Receipt("message-1", Sinks.one()),
                        j -> j.done().asMono()).cache();
                caller.subscribe(v -> { }, e -> { });
                callers.add(caller);
            }
            firstPass.tryEmitEmpty();
            for (Mono<String> caller : callers) {
                assertThat(caller.block(Duration.ofSeconds(60))).isEqualTo("message-1");
            }
            // the first receipt's pass, then one pass for the 50 that queued while it was written
            assertThat(writes).containsExactly(1, 50);
        } finally {
            commits.stop();
        }
    }
}
