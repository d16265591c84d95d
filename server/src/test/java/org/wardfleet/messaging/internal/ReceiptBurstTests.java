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
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;
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
    @Autowired ReceiptStore receiptStore;
    @Autowired DeliveryReceipts receipts;
    @Autowired Receipts messaging;
    @Autowired MongoDatabase db;
    @Autowired AnswerReceipts answers;

    static final List<String> USERS = IntStream.range(0, 10_000).mapToObj(i -> "user-" + i).toList();

    @Test
    void tenThousandReceiptsArrivingTogetherAreAllWritten() {
        String orgId = "org-" + UUID.randomUUID();
        Instant now = Instant.now();
        // one of them read it on a desktop already: a phone's receipt must not move them back
        String id = broadcastToAll(orgId, now, true, List.of(), "user-0");

        // a phone of the person who already read it does not make them "delivered" again
        assertThat(receipts.delivered(orgId, id, "user-0", now).block()).isFalse();
        // as the stream's delivered requests do: receipt, then the audit record of each move
        List<String> done = Flux.fromIterable(USERS)
                .flatMap(u -> messaging.delivered(orgId, "device-" + u, u, id).thenReturn(u)
                        .subscribeOn(Schedulers.parallel()), 1_000)
                .collectList().block(Duration.ofSeconds(120));

        assertThat(done).hasSize(10_000);
        Map<String, Addressee> after = store.message(orgId, id).block().recipients();
        assertThat(after.get("user-0").state()).isEqualTo(ReceiptState.READ);
        assertThat(after.values()).hasSize(10_000).filteredOn(r -> !r.userId().equals("user-0"))
                .allMatch(r -> r.state() == ReceiptState.DELIVERED && r.eligibleDevices() == 1);

        // each person's second phone confirming too moves nobody: one receipt per person, a repeat is not a move
        List<Boolean> again = Flux.fromIterable(USERS.subList(0, 2_000))
                .flatMap(u -> receipts.delivered(orgId, id, u, Instant.now()), 500)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(again).hasSize(2_000).containsOnly(false);

        // once the burst has gone quiet, the receipts are folded into the message document: later reads (the
        // roll-up, escalation, the pager fallback) look nothing up, and see exactly the same states
        java.util.concurrent.atomic.AtomicReference<Document> found = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Document raw = Mono.from(db.getCollection("messages").find(Filters.eq("_id", id))).block()
                            .get("recipients", Document.class);
                    return "DELIVERED".equals(raw.get("user-9999", Document.class).getString("state"))
                            && found.compareAndSet(null, raw);
                });
        Document folded = found.get();
        assertThat(folded.values()).filteredOn(r -> "DELIVERED".equals(((Document) r).getString("state")))
                .hasSize(9_999);
        assertThat(folded.get("user-0", Document.class).getString("state")).isEqualTo("READ");
        assertThat(store.message(orgId, id).block().recipients()).isEqualTo(after);
        assertThat(receiptStore.fold(orgId, id).block()).isEmpty();
        // folded receipts stay a minute (a reader may be between reading the message and looking them up), then go;
        // a late phone's receipt is refused by the message's own state
        assertThat(Mono.from(db.getCollection("message_receipts").countDocuments(Filters.eq("messageId", id)))
                .block()).isPositive();
        receipts.forgetFolded(System.nanoTime()).block();
        assertThat(Mono.from(db.getCollection("message_receipts").countDocuments(Filters.eq("messageId", id)))
                .block()).isZero();
        assertThat(receipts.delivered(orgId, id, "user-42", Instant.now()).block()).isFalse();
    }

    /**
     * A roll-call: 3,000 of 10,000 people answer within moments ("available" / "not available"). Answers arriving
     * together are one update of the message each pass (one each took 65 ms on this document: 3,000 would take over
     * three minutes), every answer counts exactly once, and an answer never changes into another.
     */
    @Test
    void aRollCallsAnswersArrivingTogetherAreAllCountedQuickly() {
        String orgId = "org-" + UUID.randomUUID();
        String id = broadcastToAll(orgId, Instant.now(), false, List.of("available", "not available"));

        long started = System.nanoTime();
        List<Message> answered = Flux.fromIterable(USERS.subList(0, 3_000))
                .flatMap(u -> answers.advance(orgId, id, u, ReceiptState.ACKNOWLEDGED, null,
                        u.hashCode() % 3 == 0 ? "not available" : "available", Instant.now())
                        .subscribeOn(Schedulers.parallel()), 1_000)
                .collectList().block(Duration.ofSeconds(120));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answered).hasSize(3_000);
        assertThat(took).isLessThan(Duration.ofSeconds(60));
        // the sender is told once per pass, not once per person: a roll-call does not wake their phone 3,000 times
        long told = Mono.from(db.getCollection("user_signals").countDocuments(Filters.and(
                Filters.eq("userIds", "sender"), Filters.eq("messageId", id), Filters.eq("type", "receipt")))).block();
        assertThat(told).isBetween(1L, 300L);
        MessagingRollup rollup = MessagingRollup.of(messaging.rollup(orgId, id, "sender").block());
        assertThat(rollup.acknowledged()).isEqualTo(3_000);
        assertThat(rollup.available() + rollup.notAvailable()).isEqualTo(3_000);
        assertThat(rollup.notAvailable()).isEqualTo(USERS.subList(0, 3_000).stream()
                .filter(u -> u.hashCode() % 3 == 0).count());
        // an answer is final: the same again, or declining afterwards, is not a move
        assertThat(answers.advance(orgId, id, "user-1", ReceiptState.ACKNOWLEDGED, null, "available", Instant.now())
                .blockOptional()).isEmpty();
        assertThat(answers.advance(orgId, id, "user-1", ReceiptState.DECLINED, "busy", null, Instant.now())
                .blockOptional())
                .isEmpty();
        assertThat(answers.advance(orgId, id, "nobody", ReceiptState.READ, null, null, Instant.now())
                .blockOptional()).isEmpty();
    }

    /** A STAT broadcast from "sender" to {@link #USERS}, all SENT except {@code alreadyRead}; returns its id. */
    private String broadcastToAll(String orgId, Instant now, boolean drill, List<String> choices,
            String... alreadyRead) {
        String id = UUID.randomUUID().toString();
        Map<String, Addressee> recipients = new LinkedHashMap<>();
        USERS.forEach(u -> recipients.put(u, new Addressee(u, ReceiptState.SENT, now, null, 1)));
        for (String u : alreadyRead) {
            recipients.put(u, new Addressee(u, ReceiptState.READ, now, null, 1));
        }
        store.insertOnce(new Message(id, orgId, "c", "sender", "k-" + id, null, Priority.STAT, true, null,
                null, now, null, null, recipients, drill, choices)).block(Duration.ofSeconds(60));
        return id;
    }

    private record MessagingRollup(int acknowledged, int available, int notAvailable) {
        static MessagingRollup of(org.wardfleet.messaging.BroadcastSending.Rollup r) {
            return new MessagingRollup(r.acknowledged(), r.choices().get("available"),
                    r.choices().get("not available"));
        }
    }
}
