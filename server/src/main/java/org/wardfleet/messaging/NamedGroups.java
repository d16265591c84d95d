package org.wardfleet.messaging;

import java.util.List;

import reactor.core.publisher.Mono;

/** Messaging's named groups of people, for escalation steps and broadcast audiences ({@code groupId}). */
public interface NamedGroups {

    /** The members of a named group, by id or name; empty when unknown. */
    Mono<List<String>> groupMembers(String orgId, String group);
}
