package org.wardfleet.messaging;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * Told in-process, at once, when a recipient's receipt for a message becomes ACKNOWLEDGED — whichever way it came:
 * a device's receipt, a desktop session, any other receipt path. A feature that follows acknowledgements (on-call
 * pages) implements it; messaging does not know who listens. Called once per message per written pass of answers
 * (with the first user that pass moved to ACKNOWLEDGED), after the receipt is stored and before the acknowledging
 * caller is answered. A listener's failure is logged and counted ({@code wardfleet.jobs.failures
 * {job="acknowledgement-listeners"}}) and never fails the receipt. Only the writing instance tells its listeners, and
 * a crash between the two writes tells nobody: a listener that must not miss one also reconciles from receipts
 * ({@link Paging#states}), as escalation does at its next tick.
 */
public interface AcknowledgementListener {

    record Acknowledged(String orgId, String messageId, String userId, Instant at) {
    }

    Mono<Void> acknowledged(Acknowledged acknowledged);

    /**
     * A recipient DECLINED the message (with their reason): told the same way, once per message per written pass (the
     * first user that pass moved to DECLINED). A page whose every recipient has declined escalates now rather than
     * waiting out its step.
     */
    default Mono<Void> declined(Acknowledged declined) {
        return Mono.empty();
    }
}
