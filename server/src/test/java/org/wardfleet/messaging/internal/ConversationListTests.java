package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/** A person lists their own conversations, newest first, with the people in them named; nobody lists anyone else's. */
@WardfleetTest
class ConversationListTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void eachPersonListsOnlyTheConversationsTheyTakePartIn() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Ana Ito");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Ben Ode");
        TestApi.User cy = api.createUser(admin.token(), "CLINICIAN", "Cy Pym");
        String first = start(ana, List.of(ben.id()));
        String second = start(ben, List.of(cy.id()));
        String third = start(cy, List.of(ana.id(), ben.id()));

        Map<?, ?> mine = list(ben, "");
        assertThat(ids(mine)).containsExactly(third, second, first);
        assertThat(mine.get("total")).isEqualTo(3);
        Map<?, ?> newest = (Map<?, ?>) ((List<?>) mine.get("items")).get(0);
        assertThat(newest.get("participantCount")).isEqualTo(3);
        assertThat(newest.get("createdBy")).isEqualTo(cy.id());
        Map<?, ?> names = (Map<?, ?>) newest.get("names");
        assertThat(names.get(ana.id())).isEqualTo("Ana Ito");
        assertThat(names.get(cy.id())).isEqualTo("Cy Pym");
        assertThat(newest.containsKey("messages")).isFalse();

        assertThat(ids(list(ana, ""))).containsExactly(third, first);
        assertThat(ids(list(ana, "size=1&page=1"))).containsExactly(first);
        // an administrator is no exception: their own conversations only, never the ward's
        assertThat(ids(list(admin, ""))).isEmpty();
        http.get().uri("/api/v1/conversations?size=0").headers(h -> h.setBearerAuth(ana.token())).exchange()
                .expectStatus().isBadRequest();
    }

    private String start(TestApi.User who, List<String> others) {
        return (String) http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(who.token()))
                .bodyValue(Map.of("participants", others)).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private Map<?, ?> list(TestApi.User who, String query) {
        return http.get().uri("/api/v1/conversations?" + query).headers(h -> h.setBearerAuth(who.token())).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<String> ids(Map<?, ?> page) {
        return ((List<?>) page.get("items")).stream().map(i -> (String) ((Map<?, ?>) i).get("id")).toList();
    }
}
