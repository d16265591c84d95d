package org.wardfleet.device;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * The inventory as a signed-in person sees and changes it — the API and the console call this, so both apply the
 * same rules: {@code ADMIN} and {@code SECURITY} see the organisation's devices, a clinician only those assigned to
 * them; only {@code ADMIN} takes remote actions (each audited, and BYOD is never fully wiped).
 */
public interface DeviceInventory {

    /** One page; problems: {@code validation-failed} for bounds beyond {@link DeviceQuery}'s. */
    Mono<DevicePage> list(Caller caller, DeviceQuery query);

    /** The device with its timeline, its recent remote actions and its certificate's status; 404 if not theirs. */
    Mono<DeviceDetail> detail(Caller caller, String deviceId);

    /**
     * Requests a remote action ({@code ADMIN}); idempotent while one of that type is open. RETIRE takes effect at once.
     * Problems: {@code forbidden}, {@code not-found}, {@code device-not-active}, {@code byod-full-wipe-refused}.
     */
    Mono<DeviceAction> act(Caller caller, String deviceId, ActionType type);

    /** The actions IT may offer for a device in its current state (BYOD: never {@link ActionType#WIPE}). */
    static java.util.List<ActionType> offered(Device device) {
        if (!device.state().mayAuthenticate()) {
            return java.util.List.of();
        }
        return device.ownership() == Ownership.BYOD
                ? java.util.List.of(ActionType.LOCK, ActionType.SELECTIVE_WIPE, ActionType.RETIRE)
                : java.util.List.of(ActionType.LOCK, ActionType.SELECTIVE_WIPE, ActionType.WIPE, ActionType.RETIRE);
    }
}
