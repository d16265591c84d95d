package org.wardfleet.messaging.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.device.Device;
import org.wardfleet.device.Devices;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The safety net behind {@link DeviceKeyEnding}: deletes the message keys of devices that can no longer use them —
 * retired, wiped or gone — whose {@code DeviceRetired} event was lost (the process stopped between the device's write
 * and the event; there are no transactions to tie them). A key serves only an ACTIVE or QUARANTINED device's fetches
 * and pushed copies. Daily ({@code wardfleet.messaging.key-sweep}): one read of the keys' ids, one device lookup per
 * organisation, one delete per organisation.
 */
@Component
class MessageKeySweep implements Job {

    /** Failure isolation per item (page, step, organisation): counted under this job's name. */
    private final JobRun items;

    private final MessageKeys keys;
    private final Devices devices;
    private final Duration every;

    MessageKeySweep(JobFailures failures, MessageKeys keys, Devices devices,
            @Value("${wardfleet.messaging.key-sweep:24h}") Duration every) {
        this.items = new JobRun(name(), failures);
        this.keys = keys;
        this.devices = devices;
        this.every = every;
    }

    /** Deletes the keys no usable device holds; returns how many. One organisation's failure skips it only. */
    Mono<Long> sweep() {
        return keys.holders()
                .flatMapMany(byOrg -> Flux.fromIterable(byOrg.entrySet()))
                .concatMap(org -> items.isolate("organisation " + org.getKey(), unusable(org.getKey(), org.getValue())
                        .flatMap(gone -> gone.isEmpty() ? Mono.just(0L) : keys.forget(org.getKey(), gone))))
                .reduce(0L, Long::sum);
    }

    private Mono<List<String>> unusable(String orgId, Collection<String> holders) {
        return devices.findAll(orgId, List.copyOf(holders))
                .filter(d -> d.state().mayAuthenticate())
                .map(Device::id)
                .collect(Collectors.toSet())
                .map((Set<String> usable) -> holders.stream().filter(id -> !usable.contains(id)).toList());
    }

    @Override
    public String name() {
        return "message-key-sweep";
    }

    /** A delete or write over shared records: one instance at a time is enough. */
    @Override
    public Scope scope() {
        return Scope.ONE_INSTANCE;
    }

    @Override
    public java.time.Duration interval() {
        return every;
    }

    @Override
    public Mono<?> run() {
        return sweep();
    }
}
