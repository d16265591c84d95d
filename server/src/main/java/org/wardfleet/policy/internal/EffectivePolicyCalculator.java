package org.wardfleet.policy.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.wardfleet.device.Device;
import org.wardfleet.policy.EffectivePolicy;

import tools.jackson.databind.json.JsonMapper;

/**
 * Merges the policies assigned to one device, deterministically (docs/policies.md):
 * <ol>
 * <li>an assignment matches by device id, group, platform or ownership model; a policy matched twice counts once,
 * with its strongest assignment;</li>
 * <li>contributions are ordered by priority (high first), then specificity (device, group, platform, ownership),
 * then policy name;</li>
 * <li>each setting the device's platform and ownership model allow is merged by its rule; the others are listed as
 * excluded and never reach the device.</li>
 * </ol>
 */
final class EffectivePolicyCalculator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One published policy version as it applies to a device through its strongest matching assignment. */
    record Contribution(String policyId, String policyName, int version, int priority, int specificity,
            Map<String, Object> settings) {
    }

    static final Comparator<Contribution> PRECEDENCE = Comparator.comparingInt(Contribution::priority).reversed()
            .thenComparing(Comparator.comparingInt(Contribution::specificity).reversed())
            .thenComparing(Contribution::policyName);

    private EffectivePolicyCalculator() {
    }

    static int specificity(String targetType) {
        switch (targetType) {
            case "deviceId":
                return 3;
            case "group":
                return 2;
            case "platform":
                return 1;
            default:
                return 0;
        }
    }

    static boolean matches(String targetType, String target, Device device) {
        switch (targetType) {
            case "deviceId":
                return target.equals(device.id());
            case "group":
                return device.groups().contains(target);
            case "platform":
                return target.equals(device.platform().wire());
            case "ownership":
                return target.equals(device.ownership().name());
            default:
                return false;
        }
    }

    static EffectivePolicy compute(PolicySchema schema, Device device, long generation,
            List<Contribution> contributions) {
        List<Contribution> ordered = strongestPerPolicy(contributions);
        String platform = device.platform().wire();
        String ownership = device.ownership().name();
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, EffectivePolicy.Source> sources = new LinkedHashMap<>();
        List<EffectivePolicy.Excluded> excluded = new ArrayList<>();
        for (PolicySchema.Setting setting : schema.settings()) {
            List<Object> values = new ArrayList<>();
            List<Contribution> from = new ArrayList<>();
            for (Contribution c : ordered) {
                Object value = c.settings().get(setting.path());
                if (value != null) {
                    values.add(value);
                    from.add(c);
                }
            }
            if (values.isEmpty()) {
                continue;
            }
            if (!setting.appliesTo(platform, ownership)) {
                String reason = setting.platforms().contains(platform)
                        ? "not allowed for " + ownership + " devices" : "not for " + platform;
                from.forEach(c -> excluded.add(new EffectivePolicy.Excluded(setting.path(), c.policyName(), reason)));
                continue;
            }
            Object merged = MergeRule.merge(setting, values);
            settings.put(setting.path(), merged);
            Contribution source = from.get(Math.max(0, values.indexOf(merged)));
            sources.put(setting.path(), new EffectivePolicy.Source(source.policyId(), source.policyName(),
                    source.version()));
        }
        List<EffectivePolicy.PolicyRef> refs = ordered.stream()
                .map(c -> new EffectivePolicy.PolicyRef(c.policyId(), c.policyName(), c.version())).toList();
        return new EffectivePolicy(device.id(), versionOf(settings), generation, settings, sources, excluded, refs);
    }

    private static List<Contribution> strongestPerPolicy(List<Contribution> contributions) {
        Map<String, Contribution> best = new LinkedHashMap<>();
        contributions.stream().sorted(PRECEDENCE).forEach(c -> best.putIfAbsent(c.policyId(), c));
        return new ArrayList<>(best.values());
    }

    /** A short, stable hash of the settings (schema order is fixed, so equal settings hash equally). */
    static String versionOf(Map<String, Object> settings) {
        return digest(JSON.writeValueAsString(settings));
    }

    /** 128 bits of SHA-256, base64url: short enough for a header, far from any chance collision. */
    static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code passcode.minLength} → {@code {"passcode": {"minLength": ...}}}, for people and devices. */
    static Map<String, Object> nested(Map<String, Object> flat) {
        Map<String, Object> root = new LinkedHashMap<>();
        flat.forEach((path, value) -> {
            String[] parts = path.split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(parts[i],
                        k -> new LinkedHashMap<String, Object>());
                node = child;
            }
            node.put(parts[parts.length - 1], value);
        });
        return root;
    }
}
