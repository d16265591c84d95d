package org.wardfleet.messaging.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.Projections;

/** The message aggregate as stored: the one place that maps a {@link Message} to and from its document. */
final class MessageDocuments {

    /**
     * Every field {@link #toMessage} reads except {@code recipients}. An inclusion, not {@code exclude("recipients")}:
     * the embedded server answers an exclusion by deep-copying the whole document first, and a broadcast's document
     * holds 10,000 recipients — once per device fetch, that made a broadcast quadratic.
     */
    static final Bson CONTENT = Projections.include("orgId", "conversationId", "senderId", "idempotencyKey", "body",
            "priority", "requiresAck", "patientRef", "replyTo", "sentAt", "recalledAt", "bodyDeletedAt", "drill",
            "choices");

    private MessageDocuments() {
    }

    /** A new message's document (its fan-out mark is the store's to add). */
    static Document toDocument(Message m) {
        Document recipients = new Document();
        m.recipients().forEach((userId, r) -> recipients.append(userId, toDocument(r)));
        return new Document("_id", m.id()).append("orgId", m.orgId()).append("conversationId", m.conversationId())
                .append("senderId", m.senderId()).append("idempotencyKey", m.idempotencyKey())
                .append("body", m.body()).append("priority", m.priority() == null ? null : m.priority().name())
                .append("requiresAck", m.requiresAck()).append("patientRef", m.patientRef())
                .append("replyTo", m.replyTo()).append("sentAt", Documents.date(m.sentAt()))
                .append("recipients", recipients).append("drill", m.drill()).append("choices", m.choices());
    }

    /** A new addressee's entry in {@code recipients}. */
    static Document toDocument(Addressee r) {
        return new Document("state", r.state().name()).append("at", Documents.date(r.at()))
                .append("eligibleDevices", r.eligibleDevices());
    }

    static Message toMessage(Document d) {
        Map<String, Addressee> recipients = new LinkedHashMap<>();
        Document r = d.get("recipients", Document.class);
        if (r != null) {
            r.forEach((userId, value) -> {
                Document v = (Document) value;
                recipients.put(userId, new Addressee(userId, ReceiptState.stored(v.getString("state")),
                        Documents.instant(v.getDate("at")), v.getString("reason"), v.getInteger("eligibleDevices", 0),
                        v.getString("choice")));
            });
        }
        return new Message(d.getString("_id"), d.getString("orgId"), d.getString("conversationId"),
                d.getString("senderId"), d.getString("idempotencyKey"), d.getString("body"),
                Priority.stored(d.getString("priority")), Boolean.TRUE.equals(d.getBoolean("requiresAck")),
                d.getString("patientRef"), d.getString("replyTo"), Documents.instant(d.getDate("sentAt")),
                Documents.instant(d.getDate("recalledAt")), Documents.instant(d.getDate("bodyDeletedAt")), recipients,
                Boolean.TRUE.equals(d.getBoolean("drill")), d.getList("choices", String.class, List.of()));
    }

    /** A DELIVERED receipt document's id. */
    static String receiptId(String messageId, String userId) {
        return messageId + ":" + userId;
    }
}
