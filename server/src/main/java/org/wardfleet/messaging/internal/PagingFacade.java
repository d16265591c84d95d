package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Paging;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Messaging as other features see it: each part of {@link Paging} handed to the service that does it, no rule here.
 * Sending ({@link Dispatch}), receipts ({@link Receipts}), groups ({@link Conversations}).
 */
@Component
class PagingFacade implements Paging {

    private final Dispatch dispatch;
    private final Receipts receipts;
    private final Conversations conversations;

    PagingFacade(Dispatch dispatch, Receipts receipts, Conversations conversations) {
        this.dispatch = dispatch;
        this.receipts = receipts;
        this.conversations = conversations;
    }

    // ---- PageSending

    @Override
    public Mono<String> page(String orgId, String senderId, List<String> recipients, String text, Priority priority,
            List<String> choices, String idempotencyKey) {
        return dispatch.page(orgId, senderId, recipients, text, priority, choices, idempotencyKey);
    }

    @Override
    public Mono<Sent> resume(String orgId, String senderId, String idempotencyKey) {
        return dispatch.resume(orgId, senderId, idempotencyKey);
    }

    @Override
    public Mono<Added> addRecipients(String orgId, String messageId, List<String> userIds) {
        return dispatch.addRecipients(orgId, messageId, userIds);
    }

    @Override
    public Mono<Void> realert(String orgId, String messageId) {
        return dispatch.realert(orgId, messageId);
    }

    @Override
    public Mono<Void> notice(String orgId, String senderId, List<String> userIds, String text, String key) {
        return dispatch.notice(orgId, senderId, userIds, text, key);
    }

    // ---- BroadcastSending

    @Override
    public Mono<String> broadcast(String orgId, String senderId, List<String> userIds, String text, Priority priority,
            List<String> choices, boolean drill, String idempotencyKey) {
        return dispatch.broadcast(orgId, senderId, userIds, text, priority, choices, drill, idempotencyKey);
    }

    @Override
    public Mono<Rollup> rollup(String orgId, String messageId, String askingUserId) {
        return receipts.rollup(orgId, messageId, askingUserId);
    }

    // ---- PageReceipts

    @Override
    public Mono<List<Receipt>> recipientReceipts(String orgId, String messageId) {
        return receipts.recipientReceipts(orgId, messageId);
    }

    @Override
    public Mono<Map<String, ReceiptState>> states(String orgId, String messageId) {
        return receipts.states(orgId, messageId);
    }

    @Override
    public Mono<Map<String, List<String>>> receipts(String orgId, String messageId) {
        return receipts.timeline(orgId, messageId);
    }

    @Override
    public Mono<Void> acknowledge(String orgId, String messageId, String userId) {
        return receipts.acknowledge(orgId, messageId, userId);
    }

    @Override
    public Flux<OpenRecipient> openRecipients(Instant sentAfter) {
        return receipts.openRecipients(sentAfter);
    }

    // ---- NamedGroups

    @Override
    public Mono<List<String>> groupMembers(String orgId, String group) {
        return conversations.members(orgId, group);
    }
}
