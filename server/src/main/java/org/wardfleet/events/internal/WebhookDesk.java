package org.wardfleet.events.internal;

import org.springframework.stereotype.Component;
import org.wardfleet.events.WebhookStatus;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;

/** {@link WebhookStatus} from the configuration and the organisation's events. */
@Component
class WebhookDesk implements WebhookStatus {

    private final EventsProperties properties;
    private final EventStore store;

    WebhookDesk(EventsProperties properties, EventStore store) {
        this.properties = properties;
        this.store = store;
    }

    @Override
    public Mono<Webhook> status(Caller caller) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        java.net.URI url = properties.webhookUrl();
        String target = url == null ? null
                : url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        if (url == null) {
            return Mono.just(new Webhook(false, null, 0, 0, null, null));
        }
        return store.webhookCounts(caller.orgId())
                .map(c -> new Webhook(true, target, c.pending(), c.failed(), c.lastDeliveredAt(), c.lastError()));
    }
}
