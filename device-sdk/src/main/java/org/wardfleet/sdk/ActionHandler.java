package org.wardfleet.sdk;

/**
 * What the app does for a remote action. Return normally when done; throw to report failure (the message goes to
 * IT). {@code LOCK}, {@code SELECTIVE_WIPE}, {@code WIPE}, {@code RETIRE}, {@code SYNC}.
 */
@FunctionalInterface
public interface ActionHandler {

    void execute(String actionId, String type) throws Exception;
}
