package org.wardfleet.enrollment;

import java.util.List;

public record InvitationPage(List<InvitationView> items, int page, int size, long total) {

    public InvitationPage {
        items = List.copyOf(items);
    }
}
