package org.wardfleet.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.wardfleet.oncall.PageHistory;

/**
 * The page list's filters as the URL carries them ({@code /console/pages?state=ESCALATED&role=R&page=1}), so a filtered
 * list can be bookmarked and reloaded. Unknown or empty values mean "any" (the list never answers a typo with an
 * error).
 */
record PagesFilter(String state, String priority, String sender, String role, Integer page) {

    static final int PAGE_SIZE = 50;

    PagesFilter {
        state = state != null && PageHistory.STATES.contains(state) ? state : null;
        priority = priority != null && PageHistory.PRIORITIES.contains(priority) ? priority : null;
        sender = sender == null || sender.isBlank() || sender.length() > 64 ? null : sender.trim();
        role = role == null || role.isBlank() || role.length() > 64 ? null : role.trim();
        page = page == null || page < 0 ? 0 : page;
    }

    PageHistory.Filter query() {
        return new PageHistory.Filter(state, priority, sender, role);
    }

    public String at(int otherPage) {
        return url(params(otherPage));
    }

    /** This list without one filter (the ✕ of its chip), from the first page. */
    public String without(String name) {
        Map<String, String> params = params(0);
        params.remove(name);
        return url(params);
    }

    public boolean any() {
        return state != null || priority != null || sender != null || role != null;
    }

    private Map<String, String> params(int atPage) {
        Map<String, String> params = new LinkedHashMap<>();
        if (state != null) {
            params.put("state", state);
        }
        if (priority != null) {
            params.put("priority", priority);
        }
        if (sender != null) {
            params.put("sender", sender);
        }
        if (role != null) {
            params.put("role", role);
        }
        if (atPage > 0) {
            params.put("page", Integer.toString(atPage));
        }
        return params;
    }

    private static String url(Map<String, String> params) {
        return "/console/pages" + (params.isEmpty() ? "" : "?" + params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }
}
