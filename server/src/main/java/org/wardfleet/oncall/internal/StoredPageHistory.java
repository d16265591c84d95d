package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.messaging.PageReceipts;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.PageHistory;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * {@link PageHistory} from the page store and the messages' receipts. Cost: with the embedded database a list reads
 * the organisation's pages (no secondary indexes; each read leaves out steps and timeline); MongoDB orders it with the
 * {@code orgId, createdAt} index.
 */
@Component
class StoredPageHistory implements PageHistory {

    private final PageStore store;
    private final OnCallStore roles;
    private final PeopleNames names;
    private final PageReceipts paging;
    private final Clock clock;

    StoredPageHistory(PageStore store, OnCallStore roles, PeopleNames names, PageReceipts paging, Clock clock) {
        this.store = store;
        this.roles = roles;
        this.names = names;
        this.paging = paging;
        this.clock = clock;
    }

    @Override
    public Mono<PageList> list(Caller caller, Filter filter, int page, int size) {
        PageRequest request = PageRequest.of(page, size);
        boolean everything = caller.has(Role.ADMIN) || caller.has(Role.SECURITY);
        // the query's words checked against the lists (a 400 naming the parameter), then types
        PageStore.PageFilter stored = new PageStore.PageFilter(
                PageDocuments.state(PageRequest.oneOf("state", filter.state(), STATES)),
                Priority.stored(PageRequest.oneOf("priority", filter.priority(), PRIORITIES)),
                blankToNull(filter.senderId()),
                blankToNull(filter.roleId()), everything ? null : caller.userId());
        return store.pages(caller.orgId(), stored, request).collectList()
                .flatMap(listed -> summaries(caller.orgId(), listed))
                .zipWith(store.countPages(caller.orgId(), stored))
                .map(t -> new PageList(t.getT1(), page, size, t.getT2()));
    }

    private Mono<List<PageSummary>> summaries(String orgId, List<PageStore.Listed> listed) {
        List<String> people = new ArrayList<>();
        boolean anyRole = false;
        for (PageStore.Listed p : listed) {
            people.add(p.senderId());
            people.add(p.acknowledgedBy());
            if (p.to() instanceof Recipient.User) {
                people.add(p.to().id());
            }
            anyRole |= p.to() instanceof Recipient.OnCallRole;
        }
        Mono<Map<String, String>> roleNames = anyRole
                ? roles.roles(orgId).collectMap(OnCallStore.Role::id, OnCallStore.Role::name) : Mono.just(Map.of());
        return Mono.zip(names.of(orgId, people), roleNames).map(t -> listed.stream().map(p -> new PageSummary(p.id(),
                p.state().name(), p.priority().name(), p.step(), p.round(), p.senderId(), t.getT1().get(p.senderId()),
                new To(p.to().type(), p.to().id(), p.to() instanceof Recipient.User ? t.getT1().get(p.to().id())
                        : t.getT2().get(p.to().id())),
                p.acknowledgedBy(), p.acknowledgedBy() == null ? null : t.getT1().get(p.acknowledgedBy()),
                p.acknowledgedAt(), p.createdAt())).toList());
    }

    @Override
    public Mono<PageView> page(Caller caller, String id) {
        return store.page(caller.orgId(), id)
                .zipWhen(p -> paging.receipts(caller.orgId(), id).defaultIfEmpty(Map.of()))
                .filter(t -> t.getT1().senderId().equals(caller.userId()) || t.getT2().containsKey(caller.userId())
                        || caller.has(Role.ADMIN) || caller.has(Role.SECURITY))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No page %s", id)))
                .flatMap(t -> followReceipts(t.getT1(), t.getT2()).flatMap(p -> view(p, t.getT2())));
    }

    /** The page with the people it mentions named, in one read of the directory. */
    private Mono<PageView> view(PageStore.Page page, Map<String, List<String>> receipts) {
        List<String> people = new ArrayList<>(receipts.keySet());
        people.add(page.senderId());
        people.add(page.acknowledgedBy());
        page.timeline().forEach(event -> people.addAll(PeopleNames.mentioned(event)));
        return names.of(page.orgId(), people).map(named -> new PageView(page.id(), page.state().name(), page.step(),
                page.round(), page.priority().name(), page.acknowledgedBy(), receipts.entrySet().stream()
                        .map(e -> new RecipientView(e.getKey(), e.getValue().get(0), e.getValue().get(1),
                                named.get(e.getKey())))
                        .toList(),
                page.timeline().stream().map(event -> PeopleNames.named(event, named)).toList(), page.senderId(),
                named.get(page.senderId()), page.acknowledgedBy() == null ? null : named.get(page.acknowledgedBy())));
    }

    /**
     * The page follows its receipts: an acknowledgement it has not recorded yet (missed by {@link PageAcknowledgements}
     * — its instance stopped between the two writes — on a ROUTINE page, which no tick looks at) is recorded now.
     */
    private Mono<PageStore.Page> followReceipts(PageStore.Page page, Map<String, List<String>> receipts) {
        if (!page.state().active()) {
            return Mono.just(page);
        }
        return receipts.entrySet().stream()
                .filter(e -> ReceiptState.stored(e.getValue().get(0)) == ReceiptState.ACKNOWLEDGED).findFirst()
                .map(e -> store.acknowledged(page.orgId(), page.id(), e.getKey(), e.getValue().get(1) == null
                                ? clock.instant() : Instant.parse(e.getValue().get(1)))
                        .then(store.page(page.orgId(), page.id())))
                .orElse(Mono.just(page));
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
