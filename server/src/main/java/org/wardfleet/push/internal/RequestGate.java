package org.wardfleet.push.internal;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * At most {@code permits} pieces of work at once; the rest wait their turn, first come first served. Stream requests
 * go through one gate per instance: when a broadcast wakes 10,000 phones and they all ask at once, they are answered
 * in waves instead of every phone waiting for all of them to be interleaved to the end, and the server never holds
 * 10,000 half-done fetches in memory. A caller that goes away
 * while waiting gives up its turn.
 */
final class RequestGate {

    private final int permits;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    RequestGate(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("A gate needs at least one permit");
        }
        this.permits = permits;
    }

    <T> Mono<T> run(Mono<T> work) {
        return Mono.create(sink -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            sink.onCancel(() -> cancelled.set(true));
            Runnable start = () -> {
                if (cancelled.get()) {
                    release();
                    return;
                }
                Disposable inner = work.doFinally(signal -> release())
                        .subscribe(sink::success, sink::error, sink::success);
                sink.onDispose(inner);
            };
            boolean now;
            synchronized (this) {
                now = running < permits;
                if (now) {
                    running++;
                } else {
                    waiting.add(start);
                }
            }
            if (now) {
                start.run();
            }
        });
    }

    /** Work running now (for tests and metrics). */
    synchronized int running() {
        return running;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            // the permit passes to the next in line, on a worker (not deeper into the finishing chain's stack)
            Schedulers.parallel().schedule(next);
        }
    }
}
