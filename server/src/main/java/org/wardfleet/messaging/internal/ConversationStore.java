package org.wardfleet.messaging.internal;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Conversations (the {@code conversations} collection): who talks with whom. */
interface ConversationStore {

    Mono<Conversation> insert(Conversation conversation);

    Mono<Conversation> conversation(String orgId, String id);

    /** The conversations {@code userId} takes part in, newest first (ties by id). */
    Flux<Conversation> conversationsOf(String orgId, String userId, int skip, int limit);

    Mono<Long> countConversationsOf(String orgId, String userId);
}
