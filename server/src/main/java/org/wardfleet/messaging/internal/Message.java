package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.wardfleet.messaging.Priority;

/**
 * A message with its addressees (by user id, in the order they were addressed): a conversation's message, a page (a
 * message that requires acknowledgement) or a broadcast (choices offered, maybe a drill). {@code body} is the text
 * sealed at rest; null once recalled or past retention.
 */
record Message(String id, String orgId, String conversationId, String senderId, String idempotencyKey, String body,
        Priority priority, boolean requiresAck, String patientRef, String replyTo, Instant sentAt, Instant recalledAt,
        Instant bodyDeletedAt, Map<String, Addressee> recipients, boolean drill, List<String> choices) {

    Message(String id, String orgId, String conversationId, String senderId, String idempotencyKey, String body,
            Priority priority, boolean requiresAck, String patientRef, String replyTo, Instant sentAt,
            Instant recalledAt, Instant bodyDeletedAt, Map<String, Addressee> recipients) {
        this(id, orgId, conversationId, senderId, idempotencyKey, body, priority, requiresAck, patientRef, replyTo,
                sentAt, recalledAt, bodyDeletedAt, recipients, false, List.of());
    }

    /** The same message with other addressees (receipts applied). */
    Message withRecipients(Map<String, Addressee> addressees) {
        return new Message(id, orgId, conversationId, senderId, idempotencyKey, body, priority, requiresAck,
                patientRef, replyTo, sentAt, recalledAt, bodyDeletedAt, addressees, drill, choices);
    }

    /** Its sender or one of its addressees: who may see it. */
    boolean visibleTo(String userId) {
        return senderId.equals(userId) || recipients.containsKey(userId);
    }
}
