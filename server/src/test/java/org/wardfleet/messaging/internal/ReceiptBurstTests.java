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

import reactor.core.publisher.Flux;
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
    }
}
