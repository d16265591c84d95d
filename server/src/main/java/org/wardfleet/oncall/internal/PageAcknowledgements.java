package org.wardfleet.oncall.internal;

import org.springframework.stereotype.Component;
import org.wardfleet.messaging.AcknowledgementListener;

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

    PageAcknowledgements(PageStore pages) {
        this.pages = pages;
    }

    @Override
    public Mono<Void> acknowledged(Acknowledged ack) {
        return pages.acknowledged(ack.orgId(), ack.messageId(), ack.userId(), ack.at()).then();
    }
}
