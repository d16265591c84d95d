package org.wardfleet.enrollment;

import java.util.List;

import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;

/**
 * What a list of invitations may be narrowed to; a null field does not narrow. {@code state} is one of
 * {@link #STATES}, as {@link InvitationView#state()} computes it.
 */
public record InvitationFilter(String state, Ownership ownership, DevicePlatform platform, String assignedUserId) {

    public static final List<String> STATES = List.of("OPEN", "USED", "EXPIRED", "REVOKED");

    public static final InvitationFilter ALL = new InvitationFilter(null, null, null, null);
}
