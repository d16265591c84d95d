package org.wardfleet.oncall.internal;

import org.springframework.stereotype.Component;
import org.wardfleet.messaging.AcknowledgementListener;
import org.wardfleet.messaging.PageReceipts;
import org.wardfleet.messaging.ReceiptState;

import reactor.core.publisher.Mono;

/**
 * A page follows its receipts at once: when any recipient acknowledges — on a phone, over the device stream, on a
 * desktop — messaging tells this listener and the page becomes ACKNOWLEDGED, by that user, before the acknowledging
 * device is answered. A message that is not a page (or a page no longer active) matches nothing. Should this be missed
 * (the writing instance stopped between the two writes), escalation reconciles from receipts at its next step or
 * re-alert, and reading the page ({@code GET /api/v1/pages/{id}}) records it too.
 */
@Component
class PageAcknowledgements implements AcknowledgementListener {

    private final PageStore pages;
    private final PageReceipts paging;

    PageAcknowledgements(PageStore pages, PageReceipts paging) {
        this.pages = pages;
        this.paging = paging;
    }

    @Override
    public Mono<Void> acknowledged(Acknowledged ack) {
        return pages.acknowledged(ack.orgId(), ack.messageId(), ack.userId(), ack.at()).then();
    }

    /** Everyone the page reached has declined: it escalates now (nothing when someone may still answer). */
    @Override
    public Mono<Void> declined(Acknowledged declined) {
        return paging.states(declined.orgId(), declined.messageId())
                .filter(states -> !states.isEmpty() && states.values().stream().allMatch(ReceiptState.DECLINED::equals))
                .flatMap(all -> pages.declinedByAll(declined.orgId(), declined.messageId(), declined.userId(),
                        declined.at()))
                .then();
    }
}
