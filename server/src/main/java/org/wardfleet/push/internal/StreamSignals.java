package org.wardfleet.push.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.SignalChannel;
import org.wardfleet.platform.mongo.SignalChannels;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Events for streams held by other instances go through {@code device_signals}: the sender inserts them (one
 * {@code insertMany} per fan-out) and every instance watches the channel, delivering those addressed to it. Signals
 * are short-lived and swept, since the embedded server has no TTL indexes. If this instance may have missed some (its
 * change stream lost its history), every stream held here is told to sync: its device fetches what it missed.
 */
@Component
class StreamSignals {

    static final Duration KEEP = Duration.ofMinutes(5);

    private final SignalChannel<Signal> channel;

    StreamSignals(SignalChannels channels, Clock clock, StreamConnections connections) {
        this.channel = channels.open("device_signals", s -> document(s, clock), StreamSignals::signal, KEEP,
                Mono.fromRunnable(() -> {
                    String sync = DeviceStreamHandler.event(Map.of("type", "sync", "reason", "resync"));
                    connections.held().forEach(held -> StreamConnections.send(held, sync));
                }));
    }

    /**
     * @param topic null for a wake-up; else {@code event} is content for a stream subscribed to this topic and opened
     *        with {@code certificateSerial} (the holder checks both, and wakes a stream that is not subscribed)
     */
    record Signal(String orgId, String deviceId, String instanceId, String event, String topic,
            String certificateSerial) {

        Signal(String orgId, String deviceId, String instanceId, String event) {
            this(orgId, deviceId, instanceId, event, null, null);
        }
    }

    Mono<Void> send(List<Signal> batch) {
        return channel.insert(batch);
    }

    /** Signals inserted from now on (or since this instance's saved position, see {@link SignalChannel}). */
    Flux<Signal> watch() {
        return channel.watch();
    }

    Mono<Long> sweep() {
        return channel.sweep();
    }

    private static Document document(Signal s, Clock clock) {
        Document d = new Document("_id", UUID.randomUUID().toString()).append("orgId", s.orgId())
                .append("deviceId", s.deviceId()).append("instanceId", s.instanceId()).append("event", s.event())
                .append("at", Documents.date(clock.instant()));
        if (s.topic() != null) {
            d.append("topic", s.topic()).append("certificateSerial", s.certificateSerial());
        }
        return d;
    }

    private static Signal signal(Document d) {
        return new Signal(d.getString("orgId"), d.getString("deviceId"), d.getString("instanceId"),
                d.getString("event"), d.getString("topic"), d.getString("certificateSerial"));
    }
}
