package org.wardfleet.policy.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.Problems;
import org.wardfleet.policy.Policies;
import org.wardfleet.policy.PolicyDetail;
import org.wardfleet.policy.PolicyError;
import org.wardfleet.policy.PolicyProblems;
import org.wardfleet.policy.PolicyRollouts;
import org.wardfleet.policy.PolicySummary;
import org.wardfleet.policy.PolicyVersion;
import org.wardfleet.policy.Rollout;
import org.wardfleet.policy.SettingResult;
import org.wardfleet.policy.SubmittedPolicy;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** Policies for IT: submit versions (YAML or JSON), compare, publish, assign, follow the rollout. */
@RestController
@RequestMapping("/api/v1/policies")
class PolicyController {

    static final String[] DOCUMENT_TYPES = {"application/yaml", "application/x-yaml", "text/yaml",
        "application/json", "text/plain"};

    private final Policies policies;
    private final PolicyRollouts rollouts;
    private final PolicyCatalog catalog;

    PolicyController(Policies policies, PolicyRollouts rollouts, PolicyCatalog catalog) {
        this.policies = policies;
        this.rollouts = rollouts;
        this.catalog = catalog;
    }

    /** 201 for a new version; 200 when the same document was already the latest version (nothing stored). */
    @Operation(summary = "Create a policy from its YAML (or JSON) document (ADMIN)")
    @ApiResponse(responseCode = "201", description = "A new policy version")
    @ApiResponse(responseCode = "200", description = "The same document was already the latest version: nothing stored")
    @Problems({"403 forbidden", "400 policy-invalid", "409 policy-name-mismatch"})
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "application/json",
        "text/plain"})
    Mono<ResponseEntity<SubmittedPolicy>> create(Caller caller, @RequestBody String document) {
        return submit(caller, document, null);
    }

    @Operation(summary = "Add a version to a policy from its YAML (or JSON) document (ADMIN)")
    @ApiResponse(responseCode = "201", description = "A new policy version")
    @ApiResponse(responseCode = "200", description = "The same document was already the latest version: nothing stored")
    @Problems({"403 forbidden", "400 policy-invalid", "409 policy-name-mismatch"})
    @PostMapping(value = "/{id}/versions", consumes = {"application/yaml", "application/x-yaml", "text/yaml",
        "application/json", "text/plain"})
    Mono<ResponseEntity<SubmittedPolicy>> newVersion(Caller caller, @PathVariable String id,
            @RequestBody String document) {
        return submit(caller, document, id);
    }

    private Mono<ResponseEntity<SubmittedPolicy>> submit(Caller caller, String document, String expectedId) {
        return policies.submit(caller, expectedId, document)
                .map(s -> ResponseEntity.status(s.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .location(URI.create("/api/v1/policies/" + s.id() + "/versions/" + s.version()))
                        .body(s));
    }

    record Validation(boolean valid, List<PolicyError> errors) {
    }

    @Operation(summary = "Check a YAML (or JSON) document against the schema; nothing is stored (ADMIN, SECURITY)")
    @ApiResponse(responseCode = "200", description = "{valid, errors: [{path, line, message}]}")
    @Problems({"403 forbidden", "413 payload-too-large"})
    @PostMapping(value = "/validate", consumes = {"application/yaml", "application/x-yaml", "text/yaml",
        "application/json", "text/plain"})
    Mono<Validation> validate(Caller caller, @RequestBody(required = false) String document) {
        return policies.check(caller, document).map(errors -> new Validation(errors.isEmpty(), errors));
    }

    record PolicyList(List<PolicySummary> items) {
    }

    @Operation(summary = "List policies and baselines (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping
    Mono<PolicyList> list(Caller caller) {
        return policies.list(caller).map(PolicyList::new);
    }

    @Operation(summary = "A policy with its versions and assignments (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}")
    Mono<PolicyDetail> get(Caller caller, @PathVariable String id) {
        return policies.detail(caller, id);
    }

    @Operation(summary = "One version of a policy, with its document (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}/versions/{version}")
    Mono<PolicyVersion> version(Caller caller, @PathVariable String id, @PathVariable int version) {
        return policies.version(caller, id, version);
    }

    record Diff(String policyId, int from, int to, List<PolicyCatalog.Change> changes) {
    }

    @Operation(summary = "What changed between two versions of a policy (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}/diff")
    Mono<Diff> diff(Caller caller, @PathVariable String id, @RequestParam int from, @RequestParam int to) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return catalog.diff(caller.orgId(), id, from, to).map(changes -> new Diff(id, from, to, changes));
    }

    record PublishRequest(@Min(1) Integer version) {
    }

    record PublishResponse(String id, String name, Integer publishedVersion) {
    }

    @Operation(summary = "Publish a version: devices it is assigned to get it (ADMIN)")
    @Problems({"403 forbidden"})
    @PostMapping("/{id}/publish")
    Mono<PublishResponse> publish(Caller caller, @PathVariable String id,
            @Valid @RequestBody(required = false) PublishRequest body) {
        return policies.publish(caller, id, body == null ? null : body.version())
                .map(p -> new PublishResponse(p.id(), p.name(), p.publishedVersion()));
    }

    record AssignmentRequest(@Size(max = 16) String ownership, @Size(max = 64) String group,
            @Size(max = 16) String platform, @Size(max = 64) String deviceId,
            @Min(-1000) @Max(1000) Integer priority) {
    }

    @Operation(summary = "Assign a policy to an ownership, group, platform or device (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The assignment")
    @Problems({"403 forbidden", "400 assignment-invalid"})
    @PostMapping("/{id}/assignments")
    Mono<ResponseEntity<PolicyDetail.Assignment>> assign(Caller caller, @PathVariable String id,
            @Valid @RequestBody AssignmentRequest body) {
        caller.requireAny(Role.ADMIN);
        List<String[]> targets = new ArrayList<>();
        if (body.ownership() != null) {
            targets.add(new String[] {"ownership", body.ownership()});
        }
        if (body.group() != null) {
            targets.add(new String[] {"group", body.group()});
        }
        if (body.platform() != null) {
            targets.add(new String[] {"platform", body.platform()});
        }
        if (body.deviceId() != null) {
            targets.add(new String[] {"deviceId", body.deviceId()});
        }
        if (targets.size() != 1) {
            return Mono.error(PolicyProblems.ASSIGNMENT_INVALID.exception(
                    "Name exactly one of ownership, group, platform or deviceId (got %d)", targets.size()));
        }
        return policies.assign(caller, id, targets.get(0)[0], targets.get(0)[1],
                        body.priority() == null ? 0 : body.priority())
                .map(a -> ResponseEntity.created(URI.create("/api/v1/policies/" + id + "/assignments/" + a.id()))
                        .body(a));
    }

    record AssignmentList(List<PolicyDetail.Assignment> items) {
    }

    @Operation(summary = "A policy's assignments (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}/assignments")
    Mono<AssignmentList> assignments(Caller caller, @PathVariable String id) {
        return policies.detail(caller, id).map(p -> new AssignmentList(p.assignments()));
    }

    @Operation(summary = "Remove an assignment (ADMIN)")
    @ApiResponse(responseCode = "204", description = "Removed")
    @Problems({"403 forbidden"})
    @DeleteMapping("/{id}/assignments/{assignmentId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> unassign(Caller caller, @PathVariable String id, @PathVariable String assignmentId) {
        return policies.unassign(caller, id, assignmentId);
    }

    @Operation(summary = "A policy's rollout, device by device and setting by setting, with each setting's controls "
            + "(ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}/rollout")
    Mono<Rollout> rollout(Caller caller, @PathVariable String id) {
        return rollouts.rollout(caller, id);
    }

    record DeviceList(List<String> items) {
    }

    @Operation(summary = "The devices with a given result for one setting (or any) of a policy (ADMIN, SECURITY)")
    @Problems({"403 forbidden", "400 validation-failed"})
    @GetMapping("/{id}/rollout/devices")
    Mono<DeviceList> rolloutDevices(Caller caller, @PathVariable String id,
            @RequestParam(required = false) String setting,
            @RequestParam(defaultValue = "FAILED") SettingResult result) {
        return rollouts.devices(caller, id, setting, result).map(Set::stream)
                .map(ids -> new DeviceList(ids.sorted().toList()));
    }
}
