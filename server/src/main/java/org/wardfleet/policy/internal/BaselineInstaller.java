package org.wardfleet.policy.internal;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent.Actor;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Brings each organisation's directory-managed policies in line with the policy files, once per organisation per
 * instance start: on first use an organisation gets every file's policy published and assigned to its
 * {@code defaultAssignment} (so a device enrolled on a fresh install gets a sensible policy with no further step);
 * later, a changed file becomes a new published version (GitOps). Policies an administrator created through the
 * API under the same name are left alone.
 */
@Component
class BaselineInstaller {

    private static final Logger log = LoggerFactory.getLogger(BaselineInstaller.class);

    private final PolicyDirectory directory;
    private final PolicyRepository repository;
    private final ObjectProvider<PolicyCatalog> catalog;
    private final ObjectProvider<PolicyAssigner> assigner;
    private final Clock clock;
    private final Map<String, Mono<Void>> synced = new ConcurrentHashMap<>();

    BaselineInstaller(PolicyDirectory directory, PolicyRepository repository, ObjectProvider<PolicyCatalog> catalog,
            ObjectProvider<PolicyAssigner> assigner, Clock clock) {
        this.directory = directory;
        this.repository = repository;
        this.catalog = catalog;
        this.assigner = assigner;
        this.clock = clock;
    }

    Mono<Void> ensure(String orgId) {
        return synced.computeIfAbsent(orgId, id -> sync(id)
                .doOnError(e -> synced.remove(id))
                .cache());
    }

    private Mono<Void> sync(String orgId) {
        return repository.claimBaselineInstall(orgId, clock.instant())
                .flatMap(firstTime -> Flux.fromIterable(directory.files())
                        .concatMap(file -> syncFile(orgId, file, firstTime))
                        .then());
    }

    private Mono<Void> syncFile(String orgId, PolicyDirectory.File file, boolean firstTime) {
        return repository.findByName(orgId, file.document().name())
                .map(existing -> "directory".equals(existing.source()))
                .defaultIfEmpty(true)
                .flatMap(managed -> {
                    if (!managed) {
                        log.info("Policy '{}' in organisation {} is managed through the API; file {} not applied",
                                file.document().name(), orgId, file.name());
                        return Mono.empty();
                    }
                    return catalog.getObject().submit(orgId, Actor.system(), file.text(), "directory", null)
                            .flatMap(s -> s.policy().publishedVersion() != null
                                    && s.policy().publishedVersion() == s.version().version() ? Mono.just(s.policy())
                                    : catalog.getObject().publish(orgId, Actor.system(), s.policy().id(),
                                            s.version().version()))
                            .flatMap(policy -> firstTime && file.document().defaultAssignment() != null
                                    ? assignDefault(orgId, policy.id(), file.document().defaultAssignment())
                                    : Mono.empty());
                });
    }

    private Mono<Void> assignDefault(String orgId, String policyId, PolicyDocument.DefaultAssignment assignment) {
        return assigner.getObject().assign(orgId, Actor.system(), policyId,
                        new PolicyAssigner.Target("ownership", assignment.ownership()), assignment.priority())
                .then()
                // another instance assigned it a moment ago
                .onErrorResume(org.wardfleet.platform.web.ProblemException.class, e -> Mono.empty());
    }
}
