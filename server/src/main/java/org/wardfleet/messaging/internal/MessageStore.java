package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Messages, read with their receipts; idempotent per sender and key; a fan-out lease while a sender fans out. */
interface MessageStore {

    /** Inserts the message; an existing one with the same idempotency key comes back instead (a retried send). */
    default Mono<Message> insertOnce(Message m) {
        return insertOnce(m, null);
    }

    /**
     * As {@link #insertOnce(Message)}, marked as being fanned out until {@code fanOutUntil} (the sender's lease): the
     * mark stays until {@link #fannedOut} clears it, so a message whose sender stopped half-way can be told apart and
     * finished ({@link #claimFanOut}).
     */
    Mono<Message> insertOnce(Message m, Instant fanOutUntil);

    /** The message's fan-out is complete: its mark goes. */
    Mono<Void> fannedOut(String orgId, String messageId);

    /** Until when the message's sender holds its fan-out; empty when the fan-out is complete (or never marked). */
    Mono<Instant> fanOutUntil(String orgId, String messageId);

    /** Takes over an unfinished fan-out whose lease has run out; false when it is done or someone holds it. */
    Mono<Boolean> claimFanOut(String orgId, String messageId, Instant now, Instant until);

    Mono<Message> messageByKey(String orgId, String senderId, String idempotencyKey);

    /** Escalation adds recipients to a page; existing entries are not touched. */
    Mono<Void> addRecipients(String orgId, String messageId, List<Addressee> added);

    /** Acknowledgement-requiring messages sent after {@code after} and not recalled (all organisations). */
    Flux<Message> openPages(Instant after);

    /** A message without its recipients (what a device fetch packages). */
    Mono<Message> content(String orgId, String id);

    Mono<Message> message(String orgId, String id);

    Flux<Message> messages(String orgId, List<String> ids);

    /** What a person's inbox needs of the messages in these conversations: no body, only their own receipt. */
    Flux<Message> headers(String orgId, Collection<String> conversationIds, String userId);

    /** The newest {@code limit} messages of a conversation, newest first, with their receipts. */
    Flux<Message> messagesOf(String orgId, String conversationId, int limit);

    /** Recall: only while no recipient has read it; the body is deleted at once. Empty when too late. */
    Mono<Message> recall(String orgId, String messageId, String senderId, List<String> recipientIds, Instant at);

    /** Retention: bodies of messages sent before {@code before} are deleted (receipts and metadata stay). */
    Mono<Long> purgeBodies(Instant before, Instant now);
}
