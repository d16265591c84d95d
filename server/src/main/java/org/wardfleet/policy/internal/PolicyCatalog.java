package org.wardfleet.policy.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.PolicyProblems;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Policy versions: validate and store a document as the next version of its policy (versions are immutable; the
 * same document twice is the same version), publish one, compare two.
 */
@Component
class PolicyCatalog {

    static final int MAX_VERSION_RACE_RETRIES = 10;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PolicyRepository repository;
    private final PolicySchema schema;
    private final AuditLog audit;
    private final PolicyFanOut fanOut;
    private final Clock clock;

    PolicyCatalog(PolicyRepository repository, PolicySchema schema, AuditLog audit, PolicyFanOut fanOut,
            Clock clock) {
        this.repository = repository;
        this.schema = schema;
        this.audit = audit;
        this.fanOut = fanOut;
        this.clock = clock;
    }

    record Submitted(PolicyRepository.StoredPolicy policy, PolicyRepository.StoredVersion version, boolean created) {
    }

    /**
     * Validates {@code text} and stores it as the next version of the policy it names ({@code expectedPolicyId}, when
     * given, must be that policy). Invalid text → {@code policy-invalid} with every error's path and line.
     */
    Mono<Submitted> submit(String orgId, Actor actor, String text, String source, String expectedPolicyId) {
        PolicyDocument document;
        try {
            document = schema.parse(text);
        } catch (PolicySchema.Invalid invalid) {
            return Mono.error(PolicyProblems.POLICY_INVALID
                    .exception("The policy document has %d problem(s)", invalid.problems().size())
                    .with("errors", invalid.problems()));
        }
        String hash = hash(document);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Mono<PolicyRepository.StoredPolicy> target = expectedPolicyId == null
                ? repository.createOrFind(orgId, document.name(), source, now)
                : policy(orgId, expectedPolicyId).flatMap(p -> p.name().equals(document.name()) ? Mono.just(p)
                        : Mono.error(PolicyProblems.POLICY_NAME_MISMATCH.exception(
                                "The document is named '%s', not '%s'", document.name(), p.name())));
        return target.flatMap(policy -> nextVersion(orgId, policy.id(), document, text, hash, actor, now))
                .flatMap(s -> s.created()
                        ? audit.record(AuditEvent.of(orgId, actor, "policy.version.create", s.policy().id(),
                                Outcome.SUCCESS).withDetail("name", s.policy().name())
                                .withDetail("version", Integer.toString(s.version().version()))).thenReturn(s)
                        : Mono.just(s));
    }

    private Mono<Submitted> nextVersion(String orgId, String policyId, PolicyDocument document, String text,
            String hash, Actor actor, Instant now) {
        return Mono.defer(() -> repository.find(orgId, policyId).flatMap(policy -> latest(policy)
                        .filter(latest -> latest.hash().equals(hash))
                        .map(same -> new Submitted(policy, same, false))
                        .switchIfEmpty(Mono.defer(() -> repository.insertVersion(new PolicyRepository.StoredVersion(
                                        policyId, orgId, policy.latestVersion() + 1, document.name(),
                                        document.description(), json(document.settings()), text, hash, now,
                                        actor.id(), null))
                                .flatMap(v -> repository.advanceLatest(orgId, policyId, v.version())
                                        .then(repository.find(orgId, policyId))
                                        .map(updated -> new Submitted(updated, v, true)))))))
                // two versions submitted at once: the unique _id lets one win; the other takes the next number
                .retryWhen(Retry.max(MAX_VERSION_RACE_RETRIES).filter(Documents::isDuplicateKey));
    }

    private Mono<PolicyRepository.StoredVersion> latest(PolicyRepository.StoredPolicy policy) {
        return policy.latestVersion() == 0 ? Mono.empty()
                : repository.version(policy.orgId(), policy.id(), policy.latestVersion());
    }

    /** Publishes {@code version} (default: the latest) and starts telling the affected devices. */
    Mono<PolicyRepository.StoredPolicy> publish(String orgId, Actor actor, String policyId, Integer version) {
        Instant now = clock.instant();
        return policy(orgId, policyId)
                .flatMap(policy -> {
                    int v = version == null ? policy.latestVersion() : version;
                    return repository.version(orgId, policyId, v)
                            .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception(
                                    "Policy %s has no version %d", policyId, v)));
                })
                .flatMap(v -> repository.stampPublished(orgId, policyId, v.version(), now)
                        .then(repository.markPublished(orgId, policyId, v.version())))
                .flatMap(published -> repository.bumpGeneration(orgId)
                        .then(audit.record(AuditEvent.of(orgId, actor, "policy.publish", policyId, Outcome.SUCCESS)
                                .withDetail("name", published.name())
                                .withDetail("version", Objects.toString(published.publishedVersion()))))
                        .doOnSuccess(done -> fanOut.request(orgId))
                        .thenReturn(published));
    }

    record Change(String path, Object from, Object to) {
    }

    /** Setting-by-setting differences between two versions, in schema order. */
    Mono<List<Change>> diff(String orgId, String policyId, int from, int to) {
        return policy(orgId, policyId)
                .then(Mono.zip(existing(orgId, policyId, from), existing(orgId, policyId, to)))
                .map(pair -> {
                    Map<String, Object> a = PolicySnapshots.settings(pair.getT1().settingsJson());
                    Map<String, Object> b = PolicySnapshots.settings(pair.getT2().settingsJson());
                    List<Change> changes = new ArrayList<>();
                    for (PolicySchema.Setting s : schema.settings()) {
                        if (!Objects.equals(a.get(s.path()), b.get(s.path()))) {
                            changes.add(new Change(s.path(), a.get(s.path()), b.get(s.path())));
                        }
                    }
                    return changes;
                });
    }

    Mono<PolicyRepository.StoredPolicy> policy(String orgId, String policyId) {
        return repository.find(orgId, policyId)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No policy %s", policyId)));
    }

    private Mono<PolicyRepository.StoredVersion> existing(String orgId, String policyId, int version) {
        return repository.version(orgId, policyId, version).switchIfEmpty(Mono.error(() ->
                ProblemType.NOT_FOUND.exception("Policy %s has no version %d", policyId, version)));
    }

    private static String json(Map<String, Object> settings) {
        return JSON.writeValueAsString(settings);
    }

    /** Over name, description and settings: comments and formatting in the YAML do not make a new version. */
    private static String hash(PolicyDocument document) {
        String canonical = JSON.writeValueAsString(List.of(document.name(),
                Objects.toString(document.description(), ""), document.settings()));
        return EffectivePolicyCalculator.digest(canonical);
    }
}
