package org.wardfleet.policy;

/**
 * How one setting stands on one device. Not supported is not applied: the device cannot enforce it (an old OS, a
 * platform without the feature), so the control it serves is not in place there.
 */
public enum SettingResult {
    APPLIED, FAILED, NOT_SUPPORTED, WAITING, NOT_APPLICABLE;

    /** {@code notSupported}, as the API's counts name it. */
    public String key() {
        String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
        return words.length == 1 ? words[0] : words[0] + Character.toUpperCase(words[1].charAt(0))
                + words[1].substring(1);
    }
}
