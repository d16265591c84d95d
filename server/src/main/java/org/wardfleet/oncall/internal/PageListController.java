package org.wardfleet.oncall.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import reactor.core.publisher.Mono;

/**
 * Pages, newest first, metadata only (a page's text lives in its message, never here). {@code ADMIN} and
 * {@code SECURITY} see every page of their organisation; anyone else the pages they sent and those addressed to them
 * by name (pages that reached them through a role or a step are in their messages). Cost: with the embedded database a
 * list reads the organisation's pages (no secondary indexes; each read leaves out steps and timeline); MongoDB orders it
 * with the {@code orgId, createdAt} index.
 */
@RestController
class PageListController {

    static final List<String> STATES = List.of("TRIGGERED", "ESCALATED", "ACKNOWLEDGED", "RESOLVED", "FAILED");
    static final List<String> PRIORITIES = List.of("ROUTINE", "URGENT", "STAT");

    private final PageStore store;
    private final OnCallStore roles;
    private final PeopleNames names;

    PageListController(PageStore store, OnCallStore roles, PeopleNames names) {
        this.store = store;
        this.roles = roles;
        this.names = names;
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

    @Operation(summary = "List pages, newest first, filtered (metadata only)")
    @GetMapping("/api/v1/pages")
    Mono<PageList> list(Caller caller, @RequestParam(required = false) String state,
            @RequestParam(required = false) String priority, @RequestParam(required = false) String senderId,
            @RequestParam(required = false) String roleId, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        PageRequest request = PageRequest.of(page, size);
        boolean everything = caller.has(Role.ADMIN) || caller.has(Role.SECURITY);
        PageStore.PageFilter filter = new PageStore.PageFilter(PageRequest.oneOf("state", state, STATES),
                PageRequest.oneOf("priority", priority, PRIORITIES), blankToNull(senderId), blankToNull(roleId),
                everything ? null : caller.userId());
        return store.pages(caller.orgId(), filter, request).collectList()
                .flatMap(listed -> summaries(caller.orgId(), listed))
                .zipWith(store.countPages(caller.orgId(), filter))
                .map(t -> new PageList(t.getT1(), page, size, t.getT2()));
    }

    private Mono<List<PageSummary>> summaries(String orgId, List<PageStore.Listed> listed) {
        List<String> people = new ArrayList<>();
        boolean anyRole = false;
        for (PageStore.Listed p : listed) {
            people.add(p.senderId());
            people.add(p.acknowledgedBy());
            if ("user".equals(p.to().type())) {
                people.add(p.to().id());
            }
            anyRole |= "role".equals(p.to().type());
        }
        Mono<Map<String, String>> roleNames = anyRole
                ? roles.roles(orgId).collectMap(OnCallStore.Role::id, OnCallStore.Role::name) : Mono.just(Map.of());
        return Mono.zip(names.of(orgId, people), roleNames).map(t -> listed.stream().map(p -> new PageSummary(p.id(),
                p.state(), p.priority(), p.step(), p.round(), p.senderId(), t.getT1().get(p.senderId()),
                new To(p.to().type(), p.to().id(), "user".equals(p.to().type()) ? t.getT1().get(p.to().id())
                        : t.getT2().get(p.to().id())),
                p.acknowledgedBy(), p.acknowledgedBy() == null ? null : t.getT1().get(p.acknowledgedBy()),
                p.acknowledgedAt(), p.createdAt())).toList());
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
