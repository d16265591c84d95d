package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wardfleet.support.WardfleetTest;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Ten thousand phones confirm one broadcast within a second or two (messages pushed on their streams): every receipt
 * is written — none waits forever behind a pass that missed it, none moves a recipient who had already read it back
 * — and the roll-up counts them all.
 */
@WardfleetTest
class ReceiptBurstTests {

    @Autowired MessageStore store;
    @Autowired DeliveryReceipts receipts;
    @Autowired Messaging messaging;
    @Autowired MongoDatabase db;

    @Test
    void tenThousandReceiptsArrivingTogetherAreAllWritten() {
        String orgId = "org-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Map<String, MessageStore.Recipient> recipients = new LinkedHashMap<>();
        List<String> users = IntStream.range(0, 10_000).mapToObj(i -> "user-" + i).toList();
        users.forEach(u -> recipients.put(u, new MessageStore.Recipient(u, "SENT", now, null, 1)));
        // one of them read it on a desktop already: a phone's receipt must not move them back
        recipients.put("user-0", new MessageStore.Recipient("user-0", "READ", now, null, 1));
        store.insertOnce(new MessageStore.Message(id, orgId, "c", "sender", "k-" + id, null, "STAT", true, null, null,
                now, null, null, recipients, true, List.of())).block(Duration.ofSeconds(60));

        // as the stream's delivered requests do: receipt, then the audit record of each move
        List<String> done = Flux.fromIterable(users)
                .flatMap(u -> messaging.delivered(orgId, "device-" + u, u, id).thenReturn(u)
                        .subscribeOn(Schedulers.parallel()), 1_000)
                .collectList().block(Duration.ofSeconds(120));

        assertThat(done).hasSize(10_000);
        Map<String, MessageStore.Recipient> after = store.message(orgId, id).block().recipients();
        assertThat(after.get("user-0").state()).isEqualTo("READ");
        assertThat(after.values()).hasSize(10_000).filteredOn(r -> !r.userId().equals("user-0"))
                .allMatch(r -> "DELIVERED".equals(r.state()) && r.eligibleDevices() == 1);

        // each person's second phone confirming too moves nobody: one receipt per person, a repeat is not a move
        List<Boolean> again = Flux.fromIterable(users.subList(0, 2_000))
                .flatMap(u -> receipts.delivered(orgId, id, u, Instant.now()), 500)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(again).hasSize(2_000).containsOnly(false);

        // once the burst has gone quiet, the receipts are folded into the message document: later reads (the
        // roll-up, escalation, the pager fallback) look nothing up, and see exactly the same states
        Document folded = null;
        for (int i = 0; i < 150 && folded == null; i++) {
            Document raw = Mono.from(db.getCollection("messages").find(Filters.eq("_id", id))).block()
                    .get("recipients", Document.class);
            folded = "DELIVERED".equals(raw.get("user-9999", Document.class).getString("state")) ? raw : null;
            Mono.delay(Duration.ofMillis(100)).block();
        }
        assertThat(folded).as("folded within 15 s").isNotNull();
        assertThat(folded.values()).filteredOn(r -> "DELIVERED".equals(((Document) r).getString("state")))
                .hasSize(9_999);
        assertThat(folded.get("user-0", Document.class).getString("state")).isEqualTo("READ");
        assertThat(store.message(orgId, id).block().recipients()).isEqualTo(after);
        assertThat(store.fold(orgId, id).block()).isZero();
    }
}
