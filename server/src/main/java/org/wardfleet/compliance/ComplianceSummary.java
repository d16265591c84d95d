package org.wardfleet.compliance;

import java.util.Map;

/**
 * The organisation's compliance counts as of now, over the devices that still take instructions (the fleet list's
 * compliance filter counts the same devices). {@code byState}: every {@link ComplianceState}, zeros included;
 * {@code byReason}: devices per reason code (a device with two reasons counts under both).
 */
public record ComplianceSummary(int devices, Map<String, Integer> byState, Map<String, Integer> byReason,
        Map<String, Map<String, Integer>> byOwnership, Map<String, Map<String, Integer>> byPlatform) {
}
