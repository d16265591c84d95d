package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A broadcast tells every recipient's desktop session "a message for you" in a handful of signal documents, not one
 * per person — and each session still hears exactly the signals meant for its own person.
 */
@WardfleetTest
class UserSignalsTests {

    @Autowired UserSignals signals;
    @Autowired MongoDatabase db;

    @Test
    void aBroadcastToTwoThousandFiveHundredIsThreeSignalsAndEachSessionHearsItsOwn() {
        String orgId = "org-" + UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        List<String> people = IntStream.range(0, 2_500).mapToObj(i -> "user-" + i).toList();
        List<UserSignals.Signal> batch = people.stream()
                .map(u -> new UserSignals.Signal(orgId, u, "message", messageId)).toList();

        StepVerifier.create(signals.live(orgId, "user-2499").take(1))
                .then(() -> signals.publish(batch).block())
                .assertNext(e -> assertThat(e).isEqualTo(Map.of("type", "message", "messageId", messageId)))
                .verifyComplete();
        // someone not in the audience, and the same user id in another organisation, hear nothing
        StepVerifier.create(signals.live(orgId, "someone-else").mergeWith(signals.live("org-other", "user-1")))
                .then(() -> signals.publish(batch).block())
                .expectNoEvent(Duration.ofMillis(500))
                .thenCancel().verify();

        List<Document> written = reactor.core.publisher.Flux.from(db.getCollection("user_signals")
                .find(Filters.eq("messageId", messageId))).collectList().block();
        assertThat(written).hasSize(6); // two publishes of 1,000 + 1,000 + 500
        assertThat(Mono.from(db.getCollection("user_signals").countDocuments(Filters.and(
                Filters.eq("messageId", messageId), Filters.eq("userIds", "user-1234")))).block()).isEqualTo(2);
    }
}
