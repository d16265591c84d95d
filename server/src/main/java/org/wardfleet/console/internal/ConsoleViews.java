package org.wardfleet.console.internal;

import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.identity.UserSummary;

/**
 * The one way a console page is rendered: the whole page (layout and all) when the browser navigated to it, or only
 * its named fragment when htmx asked for a part of it (a filtered list, a new page of results). A page's template
 * marks that part with {@code th:fragment} and the same {@code id}, which is the htmx target.
 */
final class ConsoleViews {

    private ConsoleViews() {
    }

    /**
     * @param template e.g. {@code console/fleet}
     * @param fragment the part htmx requests replace, e.g. {@code results}
     * @param section which navigation entry is current
     */
    static Rendering.Builder<?> page(ServerWebExchange exchange, String template, String fragment, String section) {
        String view = fragment != null && Htmx.targets(exchange, fragment) ? template + " :: " + fragment : template;
        return Rendering.view(view).modelAttribute("section", section);
    }

    /** How a person is named on a page: their display name, or their email when they have none. */
    static String name(UserSummary user) {
        return user.displayName() == null || user.displayName().isBlank() ? user.email() : user.displayName();
    }
}
