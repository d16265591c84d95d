package org.wardfleet.messaging.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import reactor.core.publisher.Sinks;

/**
 * Live events for people's desktop sessions ({@code user_signals}): "a message for you", "a receipt on your
 * message" — ids only. Inserted once per event and watched through the channel, so a session on any instance
 * hears about a send or receipt handled by any other. Short-lived, swept. If this instance may have missed some, every
 * live session here gets {@code {"type":"resync"}}: reload your lists.
 */
@Component
class UserSignals {

    static final Duration KEEP = Duration.ofMinutes(10);

    private final SignalChannel<Event> channel;
    private final Sinks.Many<Map<String, Object>> resyncs = Sinks.many().multicast().directBestEffort();

    UserSignals(SignalChannels channels, Clock clock) {
        this.channel = channels.open("user_signals", e -> document(e, clock), UserSignals::event, KEEP,
                Mono.fromRunnable(() -> resyncs.emitNext(Map.of("type", "resync"),
                        (signal, result) -> result == Sinks.EmitResult.FAIL_NON_SERIALIZED)));
    }

    /**
     * {@code alert}: the priority (STAT, URGENT) of a message that asks its recipient's screen to raise an alert at
     * once, before it has fetched the message — no text, no sender, like a pager's tone; null otherwise.
     */
    record Signal(String orgId, String userId, String type, String messageId, String alert) {

        Signal(String orgId, String userId, String type, String messageId) {
            this(orgId, userId, type, messageId, null);
        }
    }

    /** One stored signal: an event for up to {@link #USERS_PER_DOCUMENT} people. */
    record Event(String orgId, List<String> userIds, String type, String messageId, String alert) {
    }

    /** People per signal document: a broadcast to 10,000 is ten inserts, not 10,000. */
    static final int USERS_PER_DOCUMENT = 1_000;

    /**
     * One document per event (organisation, type, message) and up to {@link #USERS_PER_DOCUMENT} of the people it is
     * for ({@code userIds}); each session picks out its own person.
     */
    Mono<Void> publish(List<Signal> batch) {
        Map<List<String>, List<String>> byEvent = new LinkedHashMap<>();
        batch.forEach(s -> byEvent.computeIfAbsent(List.of(s.orgId(), s.type(), s.messageId(),
                s.alert() == null ? "" : s.alert()), k -> new ArrayList<>()).add(s.userId()));
        List<Event> events = new ArrayList<>();
        byEvent.forEach((event, users) -> {
            for (int from = 0; from < users.size(); from += USERS_PER_DOCUMENT) {
                events.add(new Event(event.get(0), List.copyOf(users.subList(from, Math.min(users.size(),
                        from + USERS_PER_DOCUMENT))), event.get(1), event.get(2),
                        event.get(3).isEmpty() ? null : event.get(3)));
            }
        });
        return channel.insert(events);
    }

    Flux<Map<String, Object>> live(String orgId, String userId) {
        return channel.watch()
                .filter(e -> orgId.equals(e.orgId()) && e.userIds().contains(userId))
                .map(e -> e.alert() == null
                        ? Map.<String, Object>of("type", e.type(), "messageId", e.messageId())
                        : Map.<String, Object>of("type", e.type(), "messageId", e.messageId(), "alert", e.alert()))
                .mergeWith(resyncs.asFlux());
    }

    Mono<Long> sweep() {
        return channel.sweep();
    }

    private static Document document(Event e, Clock clock) {
        return new Document("_id", UUID.randomUUID().toString()).append("orgId", e.orgId())
                .append("userIds", e.userIds()).append("type", e.type()).append("messageId", e.messageId())
                .append("at", Documents.date(clock.instant())).append("alert", e.alert());
    }

    /** For this person: in {@code userIds}, or (written by an instance before 2026-12-04) its single {@code userId}. */
    private static Event event(Document d) {
        List<?> users = d.get("userIds", List.class);
        return new Event(d.getString("orgId"), users != null ? users.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(d.getString("userId"))), d.getString("type"), d.getString("messageId"),
                d.getString("alert"));
    }
}
