package org.wardfleet.push.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The stream-request gate: never more than its permits at once, everyone served in arrival order, and a caller
 * that leaves while waiting neither runs nor keeps a permit.
 */
class RequestGateTests {

    @Test
    void atMostThePermitsRunAndTheRestFollowInOrder() {
        RequestGate gate = new RequestGate(2);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Sinks.One<String>> releases = new ArrayList<>();
        List<String> started = new CopyOnWriteArrayList<>();
        List<String> results = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            Sinks.One<String> release = Sinks.one();
            releases.add(release);
            String name = "w" + i;
            gate.run(Mono.defer(() -> {
                started.add(name);
                peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                return release.asMono().doOnTerminate(concurrent::decrementAndGet);
            })).subscribe(results::add);
        }
        assertThat(started).containsExactly("w0", "w1");
        for (int i = 0; i < 5; i++) {
            releases.get(i).tryEmitValue("r" + i);
            int done = i + 1;
            await().atMost(Duration.ofSeconds(60)).until(() -> results.size() == done);
        }
        assertThat(started).containsExactly("w0", "w1", "w2", "w3", "w4");
        assertThat(results).containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(peak.get()).isEqualTo(2);
        assertThat(gate.running()).isZero();
    }

    @Test
    void aCallerThatLeavesWhileWaitingNeitherRunsNorKeepsAPermit() {
        RequestGate gate = new RequestGate(1);
        Sinks.One<String> first = Sinks.one();
        List<String> ran = new CopyOnWriteArrayList<>();
        gate.run(first.asMono()).subscribe();
        Disposable leaving = gate.run(Mono.fromCallable(() -> {
            ran.add("left");
            return "x";
        })).subscribe();
        List<String> results = new CopyOnWriteArrayList<>();
        gate.run(Mono.fromCallable(() -> {
            ran.add("stayed");
            return "y";
        })).subscribe(results::add);
        leaving.dispose();
        first.tryEmitValue("done");
        await().atMost(Duration.ofSeconds(60)).until(() -> results.contains("y"));
        assertThat(ran).containsExactly("stayed");
        await().atMost(Duration.ofSeconds(60)).until(() -> gate.running() == 0);
    }
}
