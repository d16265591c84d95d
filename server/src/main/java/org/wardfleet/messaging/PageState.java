package org.wardfleet.messaging;

/**
 * Where a page (a message that escalates until someone acknowledges it) is: TRIGGERED, ESCALATED (a later step
 * fired), then ACKNOWLEDGED, RESOLVED or FAILED (every step and round ran out with nobody acknowledging). The word is
 * what clients and storage see.
 */
public enum PageState {
    TRIGGERED, ESCALATED, ACKNOWLEDGED, RESOLVED, FAILED;

    /** Still escalating: the engine fires its next step when it is due. */
    public boolean active() {
        return this == TRIGGERED || this == ESCALATED;
    }
}
