package org.wardfleet.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.DeviceQuery;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.policy.SettingResult;

/**
 * The fleet list's filters as the URL carries them ({@code /console/devices?ownership=COPE&seen=stale7d&page=2}), so a
 * filtered list can be bookmarked, shared and reloaded. Unknown or empty values mean "any".
 */
record FleetFilter(String q, Ownership ownership, DevicePlatform platform, DeviceState state,
        ComplianceState compliance, String seen, String group, String user, String policy, String setting, SettingResult result,
        Integer page) {

    static final int PAGE_SIZE = 50;

    /** Last check-in choices: within a window, or not for a while. */
    static final Map<String, String> SEEN = Map.of("24h", "Seen in the last 24 hours", "7d", "Seen in the last 7 days",
            "stale7d", "Not seen for 7 days", "stale30d", "Not seen for 30 days");

    FleetFilter {
        q = q == null || q.isBlank() ? null : q.trim();
        seen = seen != null && SEEN.containsKey(seen) ? seen : null;
        user = user == null || user.isBlank() ? null : user;
        // a group's name exactly as given at enrollment (at most 64 characters there)
        group = group == null || group.isBlank() ? null : group.trim().length() > 64 ? group.trim().substring(0, 64)
                : group.trim();
        // a policy's rollout: its devices with this result (failed unless said) for one setting, or for any
        policy = policy == null || policy.isBlank() ? null : policy;
        setting = policy == null || setting == null || setting.isBlank() ? null : setting;
        result = policy == null ? null : result == null ? SettingResult.FAILED : result;
        page = page == null || page < 0 ? 0 : page;
    }

    DeviceQuery query(Instant now, Set<String> ids) {
        Instant after = switch (seen == null ? "" : seen) {
            case "24h" -> now.minus(Duration.ofHours(24));
            case "7d" -> now.minus(Duration.ofDays(7));
            default -> null;
        };
        Instant before = switch (seen == null ? "" : seen) {
            case "stale7d" -> now.minus(Duration.ofDays(7));
            case "stale30d" -> now.minus(Duration.ofDays(30));
            default -> null;
        };
        String text = q == null ? null : q.length() > DeviceQuery.MAX_TEXT ? q.substring(0, DeviceQuery.MAX_TEXT) : q;
        return new DeviceQuery(state, ownership, platform, group, text, user, after, before, ids,
                DeviceQuery.Sort.LAST_SEEN, page, PAGE_SIZE);
    }

    /** This list at another page. */
    public String at(int otherPage) {
        return url(params(otherPage));
    }

    /** This list without one filter (the ✕ of its chip), from the first page. */
    public String without(String name) {
        Map<String, String> params = params(0);
        params.remove(name);
        if ("policy".equals(name)) {
            params.remove("setting");
            params.remove("result");
        }
        return url(params);
    }

    public boolean any() {
        return q != null || ownership != null || platform != null || state != null || compliance != null || seen != null
                || group != null || user != null || policy != null;
    }

    private Map<String, String> params(int atPage) {
        Map<String, String> params = new LinkedHashMap<>();
        put(params, "q", q);
        put(params, "ownership", ownership == null ? null : ownership.name());
        put(params, "platform", platform == null ? null : platform.name());
        put(params, "state", state == null ? null : state.name());
        put(params, "compliance", compliance == null ? null : compliance.name());
        put(params, "seen", seen);
        put(params, "group", group);
        put(params, "user", user);
        put(params, "policy", policy);
        put(params, "setting", setting);
        put(params, "result", result == null ? null : result.name());
        put(params, "page", atPage == 0 ? null : Integer.toString(atPage));
        return params;
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    private static String url(Map<String, String> params) {
        return "/console/devices" + (params.isEmpty() ? "" : "?" + params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }
}
