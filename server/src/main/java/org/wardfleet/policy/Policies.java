package org.wardfleet.policy;

import java.util.List;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Policies as IT works on them — the API and the console call this, so both keep the same rules, roles and audit.
 * Reading is for {@code ADMIN} and {@code SECURITY}; every change is {@code ADMIN} only. Another organisation's policy
 * is "not found".
 */
public interface Policies {

    /** The organisation's policies and baselines, by name (the shipped baselines are installed on first use). */
    Mono<List<PolicySummary>> list(Caller caller);

    /** One policy with its versions and assignments. */
    Mono<PolicyDetail> detail(Caller caller, String policyId);

    /** One version with its settings and the submitted text. */
    Mono<PolicyVersion> version(Caller caller, String policyId, int version);

    /** The schema's verdict on a document, nothing stored: empty when valid, else every error with its line. */
    Mono<List<PolicyError>> check(Caller caller, String document);

    /**
     * Stores the document as the next version of the policy it names ({@code policyId}, when given, must be that
     * policy); the same document as the latest version stores nothing. Invalid → {@code policy-invalid} with errors.
     */
    Mono<SubmittedPolicy> submit(Caller caller, String policyId, String document);

    /** Publishes a version (default: the latest); devices it is assigned to are told. */
    Mono<PolicySummary> publish(Caller caller, String policyId, Integer version);

    /** Assigns to one target: {@code ownership}, {@code group}, {@code platform} or {@code deviceId}. */
    Mono<PolicyDetail.Assignment> assign(Caller caller, String policyId, String targetType, String target,
            int priority);

    Mono<Void> unassign(Caller caller, String policyId, String assignmentId);
}
