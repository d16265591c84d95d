package org.wardfleet.policy;

import java.util.Set;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/** Where a policy stands on the devices it applies to, as they themselves reported it ({@code ADMIN}, {@code SECURITY}). */
public interface PolicyRollouts {

    /** Per device and per setting. */
    Mono<Rollout> rollout(Caller caller, String policyId);

    /**
     * The devices whose report on their current policy gave {@code result} for {@code setting} (any of the policy's
     * settings when null): what "the failing devices" of a rollout are. At most {@link Rollout#MAX_DEVICES} ids.
     */
    Mono<Set<String>> devices(Caller caller, String policyId, String setting, SettingResult result);
}
