package org.wardfleet.messaging;

import org.springframework.http.HttpStatus;
import org.wardfleet.platform.web.ProblemType;

/** Why a messaging request was refused. */
public final class MessagingProblems {

    public static final ProblemType CONVERSATION_INVALID = new ProblemType("conversation-invalid",
            HttpStatus.BAD_REQUEST, "Conversation participants not usable");
    public static final ProblemType IDEMPOTENCY_KEY_REQUIRED = new ProblemType("idempotency-key-required",
            HttpStatus.BAD_REQUEST, "Idempotency-Key header required");
    public static final ProblemType IDEMPOTENCY_KEY_REUSED = new ProblemType("idempotency-key-reused",
            HttpStatus.CONFLICT, "Idempotency-Key already used for another message");
    public static final ProblemType RECALL_TOO_LATE = new ProblemType("recall-too-late", HttpStatus.CONFLICT,
            "The message was already read");
    /** The device is assigned to a person who has not bound it yet (signed in during enrollment, or approved it). */
    public static final ProblemType DEVICE_NOT_BOUND = new ProblemType("device-not-bound", HttpStatus.FORBIDDEN,
            "Device not yet approved by its user");
    public static final ProblemType MESSAGE_KEY_UNKNOWN = new ProblemType("message-key-unknown", HttpStatus.CONFLICT,
            "No such message key for this device");
    public static final ProblemType RECEIPT_INVALID = new ProblemType("receipt-invalid", HttpStatus.CONFLICT,
            "Receipt does not follow the message's state");

    private MessagingProblems() {
    }
}
