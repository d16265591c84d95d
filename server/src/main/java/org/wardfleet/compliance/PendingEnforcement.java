package org.wardfleet.compliance;

import java.time.Instant;
import java.util.List;

/**
 * The enforcement ladder's steps that have not run yet, soonest first ({@code steps}, at most the number asked for)
 * and how many there are in all ({@code total}). A step whose {@code dueAt} has passed runs at the engine's next tick;
 * a device that becomes compliant again has its pending steps cancelled, so they leave this list.
 *
 * @param rung the step's place on its policy's ladder, from 0
 */
public record PendingEnforcement(List<Step> steps, long total) {

    public record Step(String deviceId, String action, Instant dueAt, int rung) {
    }
}
