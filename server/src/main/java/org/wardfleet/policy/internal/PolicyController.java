package org.wardfleet.policy.internal;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.PolicyProblems;
import org.wardfleet.platform.web.Problems;

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

    private final PolicyCatalog catalog;
    private final PolicyAssigner assigner;
    private final PolicyRepository repository;
    private final PolicyRollout rollout;
    private final PolicyProperties properties;
    private final BaselineInstaller baselines;

    PolicyController(PolicyCatalog catalog, PolicyAssigner assigner, PolicyRepository repository,
            PolicyRollout rollout, PolicyProperties properties, BaselineInstaller baselines) {
        this.baselines = baselines;
        this.catalog = catalog;
        this.assigner = assigner;
        this.repository = repository;
        this.rollout = rollout;
        this.properties = properties;
    }

    record SubmitResponse(String id, String name, int version, String hash, boolean created,
            Integer publishedVersion) {

        static SubmitResponse of(PolicyCatalog.Submitted s) {
            return new SubmitResponse(s.policy().id(), s.policy().name(), s.version().version(), s.version().hash(),
                    s.created(), s.policy().publishedVersion());
        }
    }

    /** 201 for a new version; 200 when the same document was already the latest version (nothing stored). */
    @Operation(summary = "Create a policy from its YAML (or JSON) document (ADMIN)")
    @ApiResponse(responseCode = "201", description = "A new policy version")
    @ApiResponse(responseCode = "200", description = "The same document was already the latest version: nothing stored")
    @Problems({"403 forbidden", "400 policy-invalid", "409 policy-name-mismatch"})
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "application/json",
        "text/plain"})
    Mono<ResponseEntity<SubmitResponse>> create(Caller caller, @RequestBody String document) {
        return submit(caller, document, null);
    }

    @Operation(summary = "Add a version to a policy from its YAML (or JSON) document (ADMIN)")
    @ApiResponse(responseCode = "201", description = "A new policy version")
    @ApiResponse(responseCode = "200", description = "The same document was already the latest version: nothing stored")
    @Problems({"403 forbidden", "400 policy-invalid", "409 policy-name-mismatch"})
    @PostMapping(value = "/{id}/versions", consumes = {"application/yaml", "application/x-yaml", "text/yaml",
        "application/json", "text/plain"})
    Mono<ResponseEntity<SubmitResponse>> newVersion(Caller caller, @PathVariable String id,
            @RequestBody String document) {
        return submit(caller, document, id);
    }

    private Mono<ResponseEntity<SubmitResponse>> submit(Caller caller, String document, String expectedId) {
        caller.requireAny(Role.ADMIN);
        if (document.length() > properties.maxDocumentSize()) {
            return Mono.error(ProblemType.PAYLOAD_TOO_LARGE.exception("A policy document may have at most %d "
                    + "characters", properties.maxDocumentSize()));
        }
        // the shipped baselines first, so an administrator's policy never takes a baseline's name by accident
        return baselines.ensure(caller.orgId())
                .then(catalog.submit(caller.orgId(), Actor.user(caller.userId()), document, "api", expectedId))
                .map(s -> ResponseEntity.status(s.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .location(URI.create("/api/v1/policies/" + s.policy().id() + "/versions/"
                                + s.version().version()))
                        .body(SubmitResponse.of(s)));
    }

    record PolicySummary(String id, String name, int latestVersion, Integer publishedVersion, String source,
            Instant createdAt) {

        static PolicySummary of(PolicyRepository.StoredPolicy p) {
            return new PolicySummary(p.id(), p.name(), p.latestVersion(), p.publishedVersion(), p.source(),
                    p.createdAt());
        }
    }

    record PolicyList(List<PolicySummary> items) {
    }

    @Operation(summary = "List policies and baselines (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping
    Mono<PolicyList> list(Caller caller) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return baselines.ensure(caller.orgId()).thenMany(repository.list(caller.orgId())).map(PolicySummary::of).collectList().map(PolicyList::new);
    }

    record VersionSummary(int version, String hash, Instant createdAt, String createdBy, Instant publishedAt) {
    }

    record PolicyDetail(String id, String name, int latestVersion, Integer publishedVersion, String source,
            List<VersionSummary> versions, List<AssignmentView> assignments) {
    }

    @Operation(summary = "A policy with its versions and assignments (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}")
    Mono<PolicyDetail> get(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return catalog.policy(caller.orgId(), id).flatMap(p -> repository.versions(caller.orgId(), id)
                .map(v -> new VersionSummary(v.version(), v.hash(), v.createdAt(), v.createdBy(), v.publishedAt()))
                .collectList()
                .zipWith(repository.assignments(caller.orgId(), id).map(AssignmentView::of).collectList())
                .map(t -> new PolicyDetail(p.id(), p.name(), p.latestVersion(), p.publishedVersion(), p.source(),
                        t.getT1(), t.getT2())));
    }

    record VersionDetail(String policyId, String name, int version, String description, String hash,
            Map<String, Object> settings, String source, Instant createdAt, String createdBy, Instant publishedAt) {
    }

    @Operation(summary = "One version of a policy, with its document (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}/versions/{version}")
    Mono<VersionDetail> version(Caller caller, @PathVariable String id, @PathVariable int version) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return repository.version(caller.orgId(), id, version)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No version %d of policy %s",
                        version, id)))
                .map(v -> new VersionDetail(v.policyId(), v.name(), v.version(), v.description(), v.hash(),
                        EffectivePolicyCalculator.nested(PolicySnapshots.settings(v.settingsJson())),
                        v.sourceText(), v.createdAt(), v.createdBy(), v.publishedAt()));
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
        caller.requireAny(Role.ADMIN);
        return catalog.publish(caller.orgId(), Actor.user(caller.userId()), id, body == null ? null : body.version())
                .map(p -> new PublishResponse(p.id(), p.name(), p.publishedVersion()));
    }

    record AssignmentRequest(@Size(max = 16) String ownership, @Size(max = 64) String group,
            @Size(max = 16) String platform, @Size(max = 64) String deviceId,
            @Min(-1000) @Max(1000) Integer priority) {
    }

    record AssignmentView(String id, String policyId, String targetType, String target, int priority,
            Instant createdAt) {

        static AssignmentView of(PolicyRepository.StoredAssignment a) {
            return new AssignmentView(a.id(), a.policyId(), a.targetType(), a.target(), a.priority(),
                    a.createdAt());
        }
    }

    @Operation(summary = "Assign a policy to an ownership, group, platform or device (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The assignment")
    @Problems({"403 forbidden", "400 assignment-invalid"})
    @PostMapping("/{id}/assignments")
    Mono<ResponseEntity<AssignmentView>> assign(Caller caller, @PathVariable String id,
            @Valid @RequestBody AssignmentRequest body) {
        caller.requireAny(Role.ADMIN);
        List<PolicyAssigner.Target> targets = new ArrayList<>();
        if (body.ownership() != null) {
            targets.add(new PolicyAssigner.Target("ownership", body.ownership()));
        }
        if (body.group() != null) {
            targets.add(new PolicyAssigner.Target("group", body.group()));
        }
        if (body.platform() != null) {
            targets.add(new PolicyAssigner.Target("platform", body.platform()));
        }
        if (body.deviceId() != null) {
            targets.add(new PolicyAssigner.Target("deviceId", body.deviceId()));
        }
        if (targets.size() != 1) {
            return Mono.error(PolicyProblems.ASSIGNMENT_INVALID.exception(
                    "Name exactly one of ownership, group, platform or deviceId (got %d)", targets.size()));
        }
        return assigner.assign(caller.orgId(), Actor.user(caller.userId()), id, targets.get(0),
                        body.priority() == null ? 0 : body.priority())
                .map(a -> ResponseEntity.created(URI.create("/api/v1/policies/" + id + "/assignments/" + a.id()))
                        .body(AssignmentView.of(a)));
    }

    record AssignmentList(List<AssignmentView> items) {
    }

    @Operation(summary = "A policy's assignments (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}/assignments")
    Mono<AssignmentList> assignments(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return catalog.policy(caller.orgId(), id).thenMany(repository.assignments(caller.orgId(), id))
                .map(AssignmentView::of).collectList().map(AssignmentList::new);
    }

    @Operation(summary = "Remove an assignment (ADMIN)")
    @ApiResponse(responseCode = "204", description = "Removed")
    @Problems({"403 forbidden"})
    @DeleteMapping("/{id}/assignments/{assignmentId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> unassign(Caller caller, @PathVariable String id, @PathVariable String assignmentId) {
        caller.requireAny(Role.ADMIN);
        return assigner.unassign(caller.orgId(), Actor.user(caller.userId()), id, assignmentId);
    }

    @Operation(summary = "A policy's rollout, setting by setting (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}/rollout")
    Mono<PolicyRollout.Rollout> rollout(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return rollout.rollout(caller.orgId(), id);
    }
}
