package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.List;

/** People talking: every message belongs to one conversation; a page or broadcast starts its own. */
record Conversation(String id, String orgId, List<String> participants, String createdBy, Instant createdAt) {
}
