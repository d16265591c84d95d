package org.wardfleet.policy.internal;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.policy.EffectivePolicy;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/** What a device must enforce, setting by setting, and which policy each value came from. */
@RestController
class EffectivePolicyController {

    private final PolicyRollout policies;

    EffectivePolicyController(PolicyRollout policies) {
        this.policies = policies;
    }

    record SettingView(Object value, EffectivePolicy.Source source) {
    }

    record EffectivePolicyView(String deviceId, String version, long generation, Map<String, Object> settings,
            Map<String, SettingView> sources, List<EffectivePolicy.Excluded> excluded,
            List<EffectivePolicy.PolicyRef> policies) {
    }

    @Operation(summary = "A device's effective policy with each setting's source (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/devices/{id}/effective-policy")
    Mono<EffectivePolicyView> effective(Caller caller, @PathVariable String id) {
        return policies.effective(caller, id)
                .map(e -> {
                    Map<String, SettingView> sources = new java.util.LinkedHashMap<>();
                    e.settings().forEach((path, value) -> sources.put(path, new SettingView(value,
                            e.sources().get(path))));
                    return new EffectivePolicyView(e.deviceId(), e.version(), e.generation(),
                            EffectivePolicyCalculator.nested(e.settings()), sources, e.excluded(), e.policies());
                });
    }
}
