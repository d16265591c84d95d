package org.wardfleet.device.internal;

import java.time.Duration;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.Job;

import reactor.core.publisher.Mono;

/**
 * Lists every assigned device in its person's {@link PersonDevices} list, then marks the lists complete: at each start
 * (devices stored by a version without the lists, e.g. during a rolling upgrade, are listed at the next start) and
 * daily. Until the first run has finished, a person's first list made at enrollment is completed from the devices
 * query there and then. One read of the devices' ids and owners, one bulk write.
 */
@Component
class PersonDeviceBackfill implements Job {

    private final DeviceRepository devices;
    private final PersonDevices people;

    PersonDeviceBackfill(DeviceRepository devices, PersonDevices people) {
        this.devices = devices;
        this.people = people;
    }

    @Override
    public String name() {
        return "person-device-backfill";
    }

    @Override
    public Duration interval() {
        return Duration.ofHours(24);
    }

    @Override
    public Duration initialDelay() {
        return Duration.ZERO;
    }

    @Override
    public Scope scope() {
        return Scope.ONE_INSTANCE;
    }

    @Override
    public Mono<?> run() {
        return devices.assigned()
                .buffer(1000)
                .concatMap(people::addAll)
                .then(people.markBackfilled());
    }
}
