package org.wardfleet.oncall;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.wardfleet.platform.security.Caller;

import io.swagger.v3.oas.annotations.media.Schema;
import reactor.core.publisher.Mono;

/**
 * Pages as people look them up (the API's {@code /api/v1/pages} and the console), metadata only: a page's text lives in
 * its message, never here. {@code ADMIN} and {@code SECURITY} see every page of their organisation; anyone else the
 * pages they sent and those addressed to them by name (a page's detail: also those that reached them).
 */
public interface PageHistory {

    List<String> STATES = java.util.Arrays.stream(org.wardfleet.messaging.PageState.values()).map(Enum::name).toList();
    List<String> PRIORITIES = org.wardfleet.messaging.Priority.WORDS;

    /** Pages newest first; null or blank filters do not narrow; a state or priority not in the lists is a 400. */
    Mono<PageList> list(Caller caller, Filter filter, int page, int size);

    /** One page with its recipients and timeline, people named; a 404 problem for a page the caller may not see. */
    Mono<PageView> page(Caller caller, String id);

    record Filter(String state, String priority, String senderId, String roleId) {
    }

    /** Whom a page was addressed to; {@code name} is the person's display name or the role's name. */
    @Schema(name = "PageAddressee")
    record To(String type, String id, String name) {
    }

    record PageSummary(String id, String state, String priority, int step, int round, String senderId,
            String senderName, To to, String acknowledgedBy, String acknowledgedByName, Instant acknowledgedAt,
            Instant createdAt) {
    }

    record PageList(List<PageSummary> items, int page, int size, long total) {
    }

    /** {@code at}: when the recipient reached that state (delivered, read, acknowledged, declined). */
    @Schema(name = "PageRecipient")
    record RecipientView(String userId, String state, String at, String displayName) {
    }

    /** Timeline events carry {@code displayName} next to a {@code userId} and {@code names} for the people named. */
    record PageView(String id, String state, int step, int round, String priority, String acknowledgedBy,
            List<RecipientView> recipients, List<Map<String, Object>> timeline, String senderId, String senderName,
            String acknowledgedByName) {
    }
}
