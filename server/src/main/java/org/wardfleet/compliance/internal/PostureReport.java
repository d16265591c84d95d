package org.wardfleet.compliance.internal;

import java.time.LocalDate;
import java.util.List;

/** What the device says about itself (fixed wire names); only hardware evidence makes parts of it trustworthy. */
record PostureReport(String nonce, String osVersion, LocalDate securityPatchLevel, Boolean encrypted,
        Boolean passcodeSet, String passcodeQuality, Boolean rooted, Boolean developerOptions,
        Boolean unknownSources, List<String> installedManagedApps, String policyVersion) {

    PostureReport {
        installedManagedApps = installedManagedApps == null ? List.of() : List.copyOf(installedManagedApps);
    }
}
