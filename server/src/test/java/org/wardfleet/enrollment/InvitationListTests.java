package org.wardfleet.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/** The invitation list pages newest first and narrows by state, ownership, platform and user. */
@WardfleetTest
class InvitationListTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void invitationsAreFilteredByStateOwnershipPlatformAndUser() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        String open = id(api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android")));
        Map<?, ?> used = api.invitation(admin.token(), Map.of("ownership", "BYOD", "platform", "android",
                "assignedUserId", nurse.id()));
        api.enroll((String) used.get("secret"), TestDevice.p256(), "android", Map.of());
        String revoked = id(api.invitation(admin.token(), Map.of("ownership", "SHARED", "platform", "ios")));
        http.post().uri("/api/v1/enrollment/invitations/{id}/revoke", revoked)
                .headers(h -> h.setBearerAuth(admin.token())).exchange().expectStatus().isOk();

        assertThat(ids(admin, "")).containsExactly(revoked, id(used), open);
        assertThat(ids(admin, "state=open")).containsExactly(open);
        assertThat(ids(admin, "state=USED")).containsExactly(id(used));
        assertThat(ids(admin, "state=REVOKED")).containsExactly(revoked);
        assertThat(ids(admin, "state=EXPIRED")).isEmpty();
        assertThat(ids(admin, "ownership=byod")).containsExactly(id(used));
        assertThat(ids(admin, "platform=ios")).containsExactly(revoked);
        assertThat(ids(admin, "assignedUserId=" + nurse.id())).containsExactly(id(used));
        assertThat(ids(admin, "size=1&page=2")).containsExactly(open);
        http.get().uri("/api/v1/enrollment/invitations?platform=windows").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].allowed").isEqualTo(List.of("ANDROID", "IOS"));
    }

    private List<String> ids(TestApi.User admin, String query) {
        Map<?, ?> page = http.get().uri("/api/v1/enrollment/invitations?" + query)
                .headers(h -> h.setBearerAuth(admin.token())).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) page.get("items")).stream().map(i -> (String) ((Map<?, ?>) i).get("id")).toList();
    }

    private static String id(Map<?, ?> invitation) {
        return (String) invitation.get("id");
    }
}
