package org.wardfleet.messaging.internal;

import java.util.List;

/**
 * A named list of people: {@code role:<name>} in a new conversation, a {@code groupId} in an escalation step or a
 * broadcast's audience. (The API and storage still call it a "role", its first name: {@code /api/v1/messaging/roles},
 * {@code messaging_roles}.)
 */
record NamedGroup(String id, String orgId, String name, List<String> members) {
}
