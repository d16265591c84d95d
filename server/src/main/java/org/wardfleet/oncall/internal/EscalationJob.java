package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.DueTimers;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The escalation engine, a job of the platform's engine: every {@code wardfleet.oncall.tick} (1 s), on every instance,
 * the pages whose next step is due — or comes due before the next pass, on a timer for its due time — are claimed (a
 * lease of {@link #LEASE}, fenced by the page's (round, step), so each step fires once whichever instance gets there)
 * and fired by {@link EscalationSteps}; then the re-alerts that are due. The pass hands what it fires to a lane and
 * returns, so no step, however slow, holds up the next pass. Each page is isolated: one that cannot be read or fired is
 * logged, counted ({@code wardfleet.jobs.failures{job="escalation"}}) and retried at a later pass, and never stops
 * the others.
 */
@Component
class EscalationJob implements Job, SmartLifecycle {

    /**
     * A claim's lease: short, so that a step the claiming instance died with fires on another within about this long
     * (issue 25: failover, no step more than 2 s late) — an instance that lost a claim sets a timer for the lease's end
     * ({@link #afterLease}) — and renewed every {@link #RENEW} while the step fires, so that a slow step is not taken
     * over by another instance; this instance never claims a page it is still firing ({@link #firing}). A renewal late
     * by more than the lease lets another instance fire the step too: the (round, step, owner) fence still lets only
     * one of them advance the page, so the cost is at most one repeated alert, never a second step.
     */
    static final Duration LEASE = Duration.ofMillis(1500);
    static final Duration RENEW = Duration.ofMillis(500);
    /** Steps read per pass, and fired at once. */
    static final int BATCH = 500;
    static final int CONCURRENCY = 32;
    /** How far ahead of a real-time pass steps get a timer (at most one tick: the next pass takes over from there). */
    static final Duration AHEAD = Duration.ofSeconds(5);
    /** Steps that took longer than their lease to fire (each also logged with its page, step and time). */
    static final String SLOW_METRIC = "wardfleet.escalation.slow.fires";
    /** Claims of due steps by outcome: {@code won} (fired here), {@code lost} (another instance holds the step). */
    static final String CLAIMS_METRIC = "wardfleet.escalation.claims";

    private static final Logger log = LoggerFactory.getLogger(EscalationJob.class);

    final String instanceId = UUID.randomUUID().toString();
    /** Pages whose step this instance is firing now: a pass or a timer here does not claim them again. */
    private final java.util.Set<String> firing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final JobRun items;
    private final PageStore store;
    private final EscalationSteps steps;
    private final DueTimers timers;
    private final Clock clock;
    private final Duration tick;
    /**
     * Where the real-time pass hands its due steps and re-alerts: fired in the order handed, at most
     * {@value #CONCURRENCY} at once, while the pass itself returns (work that fails is isolated, logged and counted).
     */
    private final Object laneLock = new Object();
    private Sinks.Many<Mono<Void>> lane;
    private reactor.core.Disposable firer;
    private final Counter slowFires;
    private final Counter claimsWon;
    private final Counter claimsLost;
    /** A step still firing after this is cut off and fired again (see {@link #claimAndFireAdded}). */
    private final Duration fireLimit;

    EscalationJob(JobFailures failures, PageStore store, EscalationSteps steps, DueTimers timers, Clock clock,
            MeterRegistry meters, @Value("${wardfleet.oncall.tick:1s}") Duration tick,
            @Value("${wardfleet.oncall.fire-limit:30s}") Duration fireLimit) {
        this.fireLimit = fireLimit;
        this.slowFires = Counter.builder(SLOW_METRIC)
                .description("Escalation steps that took longer than their lease to fire").register(meters);
        this.claimsWon = Counter.builder(CLAIMS_METRIC).tag("outcome", "won")
                .description("Claims of due escalation steps, by outcome").register(meters);
        this.claimsLost = Counter.builder(CLAIMS_METRIC).tag("outcome", "lost")
                .description("Claims of due escalation steps, by outcome").register(meters);
        start();
        this.timers = timers;
        this.items = new JobRun(name(), failures);
        this.store = store;
        this.steps = steps;
        this.clock = clock;
        this.tick = tick;
    }

    @Override
    public String name() {
        return "escalation";
    }

    /**
     * Opens the lane: at construction (so that a job built by hand — a second instance in a test — fires too) and
     * again on a restart of a stopped application (a test framework pauses an idle context by stopping it).
     */
    @Override
    public void start() {
        synchronized (laneLock) {
            if (firer == null || firer.isDisposed()) {
                Sinks.Many<Mono<Void>> fresh = Sinks.many().unicast().onBackpressureBuffer();
                firer = fresh.asFlux().flatMap(work -> work.onErrorResume(e -> Mono.empty()), CONCURRENCY)
                        .subscribe();
                lane = fresh;
            }
        }
    }

    /**
     * Stopping: steps still firing here are cut off, as the engine's stop cuts off its passes — their leases run out
     * and another instance (or this one after a restart) fires them, fenced by their step. Stops after the engine
     * (a lower phase), so that no pass hands work to a stopped lane; work handed while stopped stays due in storage.
     */
    @Override
    public void stop() {
        synchronized (laneLock) {
            firer.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (laneLock) {
            return !firer.isDisposed();
        }
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }

    @Override
    public Duration interval() {
        return tick;
    }

    @Override
    public Mono<?> run() {
        return tick(clock.instant(), true);
    }

    /** One pass at {@code now} (a test's chosen instant): due steps, then re-alerts; returns how many steps fired. */
    Mono<Integer> tick(Instant now) {
        return tick(now, false);
    }

    /**
     * One pass: the steps due at {@code now} are claimed and fired, side by side (the claim makes that safe: one slow
     * step must not make the others late), then the re-alerts. With {@code ahead} (the engine's real-time pass), the
     * steps coming due before the next pass are not left to it — up to a tick late — but each gets a timer for its
     * due time, claimed and fired then ({@link #onTime}); and the pass does not wait for what it fires: due steps and
     * re-alerts go to the job's {@link #lane} (at most {@value #CONCURRENCY} at once), so the next pass runs on time
     * however long one step takes — the engine runs one pass at a time, and a pass that waited on a step stuck on
     * its database or push work would hold every other page's next step until that step returned. A test's pass
     * ({@code ahead} false) waits, so that it can look at what fired.
     */
    private Mono<Integer> tick(Instant now, boolean ahead) {
        Instant horizon = ahead ? now.plus(tick.compareTo(AHEAD) < 0 ? tick : AHEAD) : now;
        Flux<PageStore.Page> due = store.due(horizon, BATCH, items::skipped)
                .filter(p -> {
                    if (!p.nextDueAt().isAfter(now)) {
                        return true;
                    }
                    onTime(p);
                    return false;
                });
        Flux<PageStore.Page> realerts = store.realertsDue(now, priority -> steps.realertAt(priority, now), 200,
                items::skipped);
        if (ahead) {
            return due.doOnNext(p -> handOff(p, now)).count()
                    .flatMap(n -> realerts
                            .doOnNext(p -> lane(p, "re-alert", Mono.defer(() -> steps.realert(p, now))))
                            .count().thenReturn(n.intValue()));
        }
        return due.flatMap(p -> items.isolate("page " + p.id(), claimAndFire(p, now)), CONCURRENCY)
                .reduce(0, Integer::sum)
                .flatMap(fired -> realerts.concatMap(p -> items.isolate("page " + p.id(), steps.realert(p, now)))
                        .then(Mono.just(fired)));
    }

    /** A due step of the real-time pass, claimed and fired on the lane unless this instance is firing it already. */
    private void handOff(PageStore.Page p, Instant passAt) {
        if (firing.add(p.id())) {
            lane(p, "step", Mono.defer(() -> claimAndFireAdded(p, laterOf(clock.instant(), passAt))));
        }
    }

    private void lane(PageStore.Page p, String what, Mono<?> work) {
        Sinks.EmitResult result;
        synchronized (laneLock) {
            result = lane.tryEmitNext(items.isolate(what + " of page " + p.id(), work).then());
        }
        if (result.isFailure()) {
            // not queued (the lane is stopped: the application is stopping); the step stays due in storage
            firing.remove(p.id());
            items.skipped("page " + p.id(), new IllegalStateException("escalation lane refused work: " + result));
        }
    }

    private Mono<Integer> claimAndFire(PageStore.Page p, Instant now) {
        return Mono.defer(() -> firing.add(p.id()) ? claimAndFireAdded(p, now) : Mono.just(0));
    }

    /**
     * Claims and fires the step of {@code p} this instance has marked as {@link #firing}, and unmarks it when done.
     * A step that fires for longer than {@link #LEASE} is logged and counted ({@value #SLOW_METRIC}); one that has
     * not finished after {@code wardfleet.oncall.fire-limit} (30 s) is cut off (counted as a failure of the job): its
     * lease then runs out, and the step is claimed and fired again — here or on another instance — instead of being
     * held for ever by a renewal that outlives the work it stands for.
     */
    private Mono<Integer> claimAndFireAdded(PageStore.Page p, Instant now) {
        return store.claim(p, instanceId, now, now.plus(LEASE))
                .flatMap(c -> {
                    claimsWon.increment();
                    long started = System.nanoTime();
                    return Flux.merge(steps.fire(c, instanceId, now).defaultIfEmpty(0),
                                    // the lease moves on while the step fires; a renewal that fails is ignored: at
                                    // worst another instance takes the step over, and the (round, step) fence lets
                                    // only one of them advance the page
                                    Flux.interval(RENEW).concatMap(i -> store.renew(c, instanceId,
                                                    laterOf(clock.instant(), now).plus(LEASE))
                                            .onErrorResume(e -> Mono.empty())
                                            .then(Mono.<Integer>empty())))
                            .next()
                            .timeout(fireLimit)
                            .doFinally(signal -> {
                                long ms = (System.nanoTime() - started) / 1_000_000;
                                if (ms > LEASE.toMillis()) {
                                    slowFires.increment();
                                    log.warn("Escalation step {}/{} of page {} took {} ms to fire ({}), longer than "
                                            + "its {} ms lease", c.round(), c.step(), c.id(), ms, signal,
                                            LEASE.toMillis());
                                }
                            });
                })
                .switchIfEmpty(Mono.defer(() -> afterLease(p)))
                .doFinally(signal -> firing.remove(p.id()));
    }

    /**
     * A due step this instance could not claim: another instance holds it. If that instance dies with it, the step
     * must not wait for a later pass here: a timer at the lease's end claims it then (nothing happens if the step
     * fired meanwhile: the claim is fenced by its round and step).
     */
    private Mono<Integer> afterLease(PageStore.Page p) {
        claimsLost.increment();
        return store.leasedUntil(p, instanceId)
                .doOnNext(until -> timers.at(items, p.id() + "/" + p.round() + "/" + p.step() + "/lease/"
                        + until.toEpochMilli(), "page " + p.id(), until,
                        () -> claimAndFire(p, laterOf(clock.instant(), until))))
                .thenReturn(0);
    }

    /**
     * A timer for a step due before the next pass: at its due time the step is claimed and fired (by whichever
     * instance claims it first; a step already timed here is not timed twice). A timer lost with the process leaves
     * the step due in storage: the next pass, here or elsewhere, fires it.
     */
    private void onTime(PageStore.Page p) {
        timers.at(items, p.id() + "/" + p.round() + "/" + p.step(), "page " + p.id(), p.nextDueAt(),
                () -> claimAndFire(p, laterOf(clock.instant(), p.nextDueAt())));
    }

    private static Instant laterOf(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
