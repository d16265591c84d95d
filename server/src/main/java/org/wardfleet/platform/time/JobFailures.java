package org.wardfleet.platform.time;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One bad organisation or record never stops a periodic job (or a read across many records): the work for each item
 * is isolated, and its failure is logged, counted in {@code wardfleet.jobs.failures} (tag {@code job}) and skipped;
 * the next item, and the next run, go on. Log lines name the job, the item's id and the error's type — never message
 * text or secrets — and an item that keeps failing (a corrupt record, every second) is logged at most once per
 * {@link #LOG_EVERY_MS} while every failure is still counted.
 */
@Component
public class JobFailures {

    public static final String METRIC = "wardfleet.jobs.failures";
    static final long LOG_EVERY_MS = 600_000;
    private static final int MAX_REMEMBERED = 10_000;
    private static final Logger log = LoggerFactory.getLogger(JobFailures.class);

    private final MeterRegistry meters;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    public JobFailures(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Failures counted nowhere but the log: for engines built by hand (tests, a second instance). */
    public static JobFailures logOnly() {
        return new JobFailures(new SimpleMeterRegistry());
    }

    /** {@code work} for one item; if it fails: logged, counted, and nothing (the caller goes on to the next item). */
    public <T> Mono<T> isolate(String job, String item, Mono<T> work) {
        return Mono.defer(() -> work).onErrorResume(e -> {
            failed(job, item, e);
            return Mono.empty();
        });
    }

    /** {@code work} for one item, many results; if it fails: what came so far, then logged, counted, skipped. */
    public <T> Flux<T> isolateMany(String job, String item, Flux<T> work) {
        return Flux.defer(() -> work).onErrorResume(e -> {
            failed(job, item, e);
            return Flux.empty();
        });
    }

    /** Records a failure already caught (e.g. a stored record that cannot be read and is skipped). */
    public void failed(String job, String item, Throwable e) {
        meters.counter(METRIC, "job", job).increment();
        long now = System.currentTimeMillis();
        String key = job + "/" + item;
        Long last = lastLogged.get(key);
        if (last != null && now - last < LOG_EVERY_MS) {
            return;
        }
        if (lastLogged.size() >= MAX_REMEMBERED) {
            lastLogged.clear();
        }
        lastLogged.put(key, now);
        log.warn("{}: skipped {} after {}", job, item, describe(e));
    }

    /** The error's type and a short, single-line message: enough to act on, too little to carry a payload. */
    static String describe(Throwable e) {
        // a problem's detail is written for people and holds no secret or PHI by contract; its message is a dump
        String raw = e instanceof ErrorResponse problem && problem.getBody().getDetail() != null
                ? problem.getBody().getDetail() : e.getMessage();
        String message = raw == null ? "" : raw.replaceAll("[\\r\\n\\t]+", " ");
        if (message.length() > 160) {
            message = message.substring(0, 160) + "…";
        }
        return e.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }
}
