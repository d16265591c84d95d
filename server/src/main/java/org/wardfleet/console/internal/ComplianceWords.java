package org.wardfleet.console.internal;

import java.util.Map;

import org.wardfleet.compliance.ComplianceState;

/**
 * What the compliance page's codes mean in words IT staff use (reason codes, security event types, enforcement
 * actions), as {@code words} in its template. A code not listed here is shown as written, in words
 * ({@link ConsoleFormat#words}), so a new code is never hidden.
 */
public final class ComplianceWords {

    static final ComplianceWords INSTANCE = new ComplianceWords(new ConsoleFormat(java.time.Clock.systemUTC()));

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("ATTESTATION_PENDING", "New device, first report not in yet"),
            Map.entry("ATTESTATION_MISSING", "Never sent a report"),
            Map.entry("ATTESTATION_STALE", "Stopped reporting"),
            Map.entry("ATTESTATION_INVALID", "Hardware evidence failed its check"),
            Map.entry("ATTESTATION_UNVERIFIABLE", "Hardware evidence could not be checked"),
            Map.entry("NONCE_REPLAYED", "Report replayed"),
            Map.entry("NONCE_INVALID", "Report not answering a fresh challenge"),
            Map.entry("BOOTLOADER_UNLOCKED", "Bootloader unlocked"),
            Map.entry("DEVICE_INTEGRITY_FAILED", "Device integrity check failed"),
            Map.entry("ROOTED", "Rooted or jailbroken"),
            Map.entry("OS_TOO_OLD", "Operating system too old"),
            Map.entry("OS_PATCH_TOO_OLD", "Security patch too old"),
            Map.entry("OS_PATCH_UNKNOWN", "Security patch level unknown"),
            Map.entry("ENCRYPTION_OFF", "Storage not encrypted"),
            Map.entry("PASSCODE_MISSING", "No screen lock"),
            Map.entry("PASSCODE_TOO_WEAK", "Screen lock too weak"),
            Map.entry("DEVELOPER_OPTIONS_ON", "Developer options on"),
            Map.entry("UNKNOWN_SOURCES_ON", "Apps from unknown sources allowed"),
            Map.entry("REQUIRED_APP_MISSING", "Required app missing"));

    private static final Map<String, String> EVENTS = Map.ofEntries(
            Map.entry("device.rooted", "Device rooted or jailbroken"),
            Map.entry("device.bootloader-unlocked", "Bootloader unlocked"),
            Map.entry("device.integrity-failed", "Device integrity check failed"),
            Map.entry("device.retired-credential-used", "A retired device tried to connect"),
            Map.entry("device.token-replayed", "A device's sign-in was replayed"),
            Map.entry("attestation.invalid", "Forged or invalid hardware evidence"),
            Map.entry("attestation.nonce-replayed", "Posture report replayed"),
            Map.entry("attestation.signature-invalid", "Posture report not signed by the device"),
            Map.entry("compliance.non-compliant", "Device became non-compliant"),
            Map.entry("compliance.stale", "Device stopped reporting"),
            Map.entry("compliance.burst", "Many devices became non-compliant at once"),
            Map.entry("compliance.escalated", "Escalated to IT by enforcement"),
            Map.entry("page.failed", "A clinical page could not be delivered"),
            Map.entry("storage.unavailable", "Database unavailable"),
            Map.entry("storage.recovered", "Database available again"));

    private static final Map<String, String> ACTIONS = Map.of(
            "NOTIFY_USER", "Tell the device's user",
            "NOTIFY_IT", "Alert IT (security event)",
            "BLOCK_MESSAGING", "Block access to patient data",
            "QUARANTINE", "Quarantine",
            "LOCK", "Lock the device",
            "SELECTIVE_WIPE", "Remove hospital data (selective wipe)",
            "WIPE", "Wipe (selective on personal devices)",
            "RETIRE", "Retire the device");

    private final ConsoleFormat format;

    private ComplianceWords(ConsoleFormat format) {
        this.format = format;
    }

    public String state(ComplianceState state) {
        return state == ComplianceState.NON_COMPLIANT ? "Non-compliant" : format.words(state);
    }

    public String reason(String code) {
        return REASONS.getOrDefault(code, format.words(code));
    }

    public String event(String type) {
        return EVENTS.getOrDefault(type, format.words(type));
    }

    /** bad for a threat, warn for the rest. */
    public String eventTone(String type) {
        return type.startsWith("device.") || type.startsWith("attestation.") || "compliance.burst".equals(type)
                ? "bad" : "warn";
    }

    public String action(String action) {
        return ACTIONS.getOrDefault(action, format.words(action));
    }
}
