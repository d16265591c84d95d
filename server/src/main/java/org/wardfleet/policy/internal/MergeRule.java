package org.wardfleet.policy.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How one setting combines when several assigned policies set it (docs/policies.md). Security minimums take the
 * strictest value whatever the priorities; preferences ({@code priority}) take the value of the highest-priority
 * policy. Values arrive in precedence order, highest first.
 */
final class MergeRule {

    static final Set<String> RULES = Set.of("priority", "max", "min", "maxVersion", "anyTrue", "allTrue",
            "strictestEnum", "union");

    private MergeRule() {
    }

    static boolean known(String rule) {
        return RULES.contains(rule);
    }

    static Object merge(PolicySchema.Setting setting, List<Object> values) {
        switch (setting.merge()) {
            case "priority":
                return values.get(0);
            case "max":
                return values.stream().map(v -> ((Number) v).longValue()).max(Long::compare).map(MergeRule::number)
                        .orElseThrow();
            case "min":
                return values.stream().map(v -> ((Number) v).longValue()).min(Long::compare).map(MergeRule::number)
                        .orElseThrow();
            case "maxVersion":
                return values.stream().map(String::valueOf).max(org.wardfleet.policy.OsVersions::compare).orElseThrow();
            case "anyTrue":
                return values.stream().anyMatch(Boolean.TRUE::equals);
            case "allTrue":
                return values.stream().allMatch(Boolean.TRUE::equals);
            case "strictestEnum":
                return values.stream().map(String::valueOf)
                        .max(Comparator.comparingInt(v -> setting.order().indexOf(v))).orElseThrow();
            case "union":
                Set<Object> all = new LinkedHashSet<>();
                values.forEach(v -> all.addAll((List<?>) v));
                return new ArrayList<>(all);
            default:
                throw new IllegalStateException("Unknown merge rule " + setting.merge());
        }
    }

    private static Object number(long value) {
        return value <= Integer.MAX_VALUE && value >= Integer.MIN_VALUE ? (Object) (int) value : (Object) value;
    }
}
