package org.wardfleet.oncall.internal;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.Pages;

import reactor.core.publisher.Mono;

/** Pages other features trigger (WCTP, the pager fallback): under an intent, exactly as over the HTTP API. */
@Component
class PageTriggers implements Pages {

    private final PageIntents intents;
    private final PageStore store;
    private final OnCallStore roles;

    PageTriggers(PageIntents intents, PageStore store, OnCallStore roles) {
        this.intents = intents;
        this.store = store;
        this.roles = roles;
    }

    @Override
    public Mono<String> page(String orgId, String senderId, Recipient to, String text, Priority priority,
            List<String> choices, String idempotencyKey) {
        return intents.trigger(orgId, senderId == null ? "system" : senderId, to, text, priority, null, choices,
                idempotencyKey).map(PageStore.Page::id);
    }

    @Override
    public Mono<Void> note(String orgId, String pageId, Map<String, Object> event) {
        return store.note(orgId, pageId, event);
    }

    @Override
    public Mono<String> roleIdByName(String orgId, String name) {
        return roles.roles(orgId).filter(r -> r.name().equalsIgnoreCase(name)).next().map(OnCallStore.Role::id);
    }
}
