package org.wardfleet.oncall.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.wardfleet.identity.UserDirectory;

import reactor.core.publisher.Mono;

/**
 * Names next to ids in what on-call shows (page timelines and recipients, roll-ups, rotas): one read of the user
 * directory per answer, whatever the number of people. Wardfleet itself, as a sender, is "Wardfleet"; an id of no
 * user of the organisation (someone since deleted) stays unnamed.
 */
@Component
class PeopleNames {

    static final String SYSTEM = "system";
    static final String SYSTEM_NAME = "Wardfleet";
    /** Timeline keys whose values are lists of user ids. */
    private static final List<String> ID_LISTS = List.of("recipients", "added", "told");

    private final UserDirectory users;

    PeopleNames(UserDirectory users) {
        this.users = users;
    }

    /** Display name by user id, for those of {@code ids} that name someone. */
    Mono<Map<String, String>> of(String orgId, Collection<String> ids) {
        Set<String> wanted = new LinkedHashSet<>(ids);
        wanted.remove(null);
        boolean system = wanted.remove(SYSTEM);
        return users.displayNames(orgId, wanted).map(found -> {
            Map<String, String> names = new HashMap<>(found);
            if (system) {
                names.put(SYSTEM, SYSTEM_NAME);
            }
            return names;
        });
    }

    /** Every user id a page-timeline event mentions. */
    static List<String> mentioned(Map<String, Object> event) {
        List<String> ids = new ArrayList<>();
        if (event.get("userId") instanceof String id) {
            ids.add(id);
        }
        for (String key : ID_LISTS) {
            if (event.get(key) instanceof Collection<?> list) {
                list.forEach(id -> ids.add(String.valueOf(id)));
            }
        }
        if (event.get("skipped") instanceof Collection<?> skipped) {
            skipped.stream().filter(Map.class::isInstance).map(s -> ((Map<?, ?>) s).get("userId"))
                    .filter(String.class::isInstance).forEach(id -> ids.add((String) id));
        }
        return ids;
    }

    /**
     * The event with names added, never changed otherwise: {@code displayName} next to its {@code userId}, and
     * {@code names} (user id to display name) for every person it mentions.
     */
    static Map<String, Object> named(Map<String, Object> event, Map<String, String> names) {
        Map<String, Object> shown = new LinkedHashMap<>(event);
        if (event.get("userId") instanceof String id && names.containsKey(id)) {
            shown.put("displayName", names.get(id));
        }
        Map<String, String> these = new LinkedHashMap<>();
        mentioned(event).forEach(id -> {
            if (names.containsKey(id)) {
                these.put(id, names.get(id));
            }
        });
        if (!these.isEmpty()) {
            shown.put("names", these);
        }
        return shown;
    }
}
