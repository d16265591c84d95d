package org.wardfleet.messaging.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.identity.UserDirectory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A person's conversations as a list shows them, with the names of the people in them. */
@Component
class ConversationLists {

    private final ConversationStore store;
    private final UserDirectory users;

    ConversationLists(ConversationStore store, UserDirectory users) {
        this.store = store;
        this.users = users;
    }

    Flux<Conversation> of(String orgId, String userId, int skip, int limit) {
        return store.conversationsOf(orgId, userId, skip, limit);
    }

    Mono<Long> count(String orgId, String userId) {
        return store.countConversationsOf(orgId, userId);
    }

    /** Display names of people in one read, Wardfleet itself included (the sender of notices). */
    Mono<Map<String, String>> displayNames(String orgId, Collection<String> userIds) {
        boolean system = userIds.contains(Conversations.SYSTEM);
        return users.displayNames(orgId, userIds.stream().filter(u -> u != null && !Conversations.SYSTEM.equals(u))
                        .toList())
                .map(found -> {
                    Map<String, String> names = new HashMap<>(found);
                    if (system) {
                        names.put(Conversations.SYSTEM, "Wardfleet");
                    }
                    return names;
                });
    }
}
