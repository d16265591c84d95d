package org.wardfleet.messaging.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/**
 * What a person's own client shows (the clinician app): their inbox, and a conversation's messages. Only ever the
 * caller's own: another person's conversation is 404, as if it did not exist.
 */
@RestController
class InboxController {

    /** Messages a conversation view shows at once, newest. */
    static final int CONVERSATION_MESSAGES = 100;

    private final Inboxes inboxes;
    private final ConversationStore conversations;
    private final MessageStore store;
    private final Conversations messaging;
    private final ConversationLists lists;

    InboxController(Inboxes inboxes, ConversationStore conversations, MessageStore store, Conversations messaging,
            ConversationLists lists) {
        this.inboxes = inboxes;
        this.conversations = conversations;
        this.store = store;
        this.messaging = messaging;
        this.lists = lists;
    }

    /**
     * {@code after}: the {@code next} of the previous page (absent: the first page); {@code size} 1 to 100. Items
     * waiting for the caller's acknowledgement come first, STAT, then URGENT, then ROUTINE; then newest first.
     */
    @Operation(summary = "Your inbox: conversations, pages and broadcasts with unread counts, what awaits you first")
    @Problems({"400 validation-failed"})
    @GetMapping("/api/v1/me/inbox")
    Mono<Inboxes.Page> inbox(Caller caller, @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "20") int size) {
        if (after != null && after.length() > 100) {
            return Mono.error(ProblemType.VALIDATION_FAILED.exception("after: not a cursor this inbox gave out"));
        }
        return inboxes.of(caller.orgId(), caller.userId(), after, size);
    }

    /** {@code participants}: the first {@value MessagingController#LISTED_PARTICIPANTS}; {@code names}: by user id. */
    record ConversationMessages(String conversationId, List<String> participants, int participantCount,
            Map<String, String> names, List<MessagingController.MessageView> messages) {
    }

    /**
     * The newest messages of one of the caller's conversations, oldest first, with text and receipts (the sender
     * sees each recipient's, a recipient only their own); a recalled message is shown to its sender only (marked recalled, without text). Reading does not mark
     * anything read: the client sends a READ receipt for what the person actually saw.
     */
    @Operation(summary = "A conversation of yours: its newest messages with receipts")
    @GetMapping("/api/v1/conversations/{id}/messages")
    Mono<ConversationMessages> messages(Caller caller, @PathVariable String id) {
        return conversations.conversation(caller.orgId(), id)
                .filter(c -> c.participants().contains(caller.userId()))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No conversation %s", id)))
                .flatMap(c -> store.messagesOf(caller.orgId(), id, CONVERSATION_MESSAGES)
                        .filter(m -> m.senderId().equals(caller.userId())
                                || m.recipients().containsKey(caller.userId()) && m.recalledAt() == null)
                        .concatMap(m -> (m.recalledAt() != null ? Mono.<String>empty() : messaging.text(m))
                                .map(t -> MessagingController.MessageView.forViewer(m, t, caller.userId()))
                                .defaultIfEmpty(MessagingController.MessageView.forViewer(m, null, caller.userId())))
                        .collectList()
                        .flatMap(list -> named(caller, c, list)));
    }

    /** Everyone named in the view: the first participants, senders and (for the sender) recipients. */
    private Mono<ConversationMessages> named(Caller caller, Conversation c,
            List<MessagingController.MessageView> newestFirst) {
        List<MessagingController.MessageView> messages = new ArrayList<>(newestFirst);
        Collections.reverse(messages);
        List<String> shown = c.participants().stream().limit(MessagingController.LISTED_PARTICIPANTS).toList();
        Set<String> people = new LinkedHashSet<>(shown);
        messages.forEach(m -> {
            people.add(m.senderId());
            if (m.senderId().equals(caller.userId())
                    && m.recipients().size() <= MessagingController.LISTED_PARTICIPANTS) {
                m.recipients().forEach(r -> people.add(r.userId()));
            }
        });
        return lists.displayNames(caller.orgId(), people).map(names -> new ConversationMessages(c.id(), shown,
                c.participants().size(), names, messages));
    }
}
