package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import reactor.core.publisher.Flux;

/**
 * Thirty phones fetch one broadcast at the same moment: every recipient is DELIVERED once (receipts written together
 * lose none), and a recipient who already READ it on the desktop is not moved back by their phone's fetch.
 */
@WardfleetTest
class DeliveryReceiptsTests {

    @Autowired TestApi api;
    @LocalServerPort int port;

    @Test
    void simultaneousFetchesAreAllCountedAndNeverMoveAReceiptBack() {
        TestApi.User admin = api.newOrganisation();
        List<TestApi.User> staff = new ArrayList<>();
        List<TestDevice> phones = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            TestApi.User user = api.createUser(admin.token(), "CLINICIAN");
            staff.add(user);
            phones.add(api.enrolledDevice(admin.token(), "COPE", user.id()));
        }
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        String id = (String) http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("audience", Map.of("all", true), "text", "IT outage: use paper request forms",
                        "priority", "URGENT")).retrieve().bodyToMono(Map.class).block().get("id");
        // one of them reads it on a desktop first
        http.post().uri("/api/v1/messages/" + id + "/receipts").headers(h -> h.setBearerAuth(staff.get(0).token()))
                .bodyValue(Map.of("state", "READ")).retrieve().toBodilessEntity().block();

        List<Integer> fetched = Flux.fromIterable(phones).flatMap(phone -> http.get()
                        .uri("/device/v1/messages?after=0")
                        .header("Authorization", "Device " + phone.jwt("GET", "/device/v1/messages"))
                        .retrieve().bodyToMono(Map.class)
                        .map(inbox -> ((List<?>) inbox.get("messages")).size()), 30)
                .collectList().block();
        assertThat(fetched).hasSize(30).allMatch(n -> n == 1);

        Map<?, ?> rollup = http.get().uri("/api/v1/broadcasts/" + id).headers(h -> h.setBearerAuth(admin.token()))
                .retrieve().bodyToMono(Map.class).block();
        Map<?, ?> counts = (Map<?, ?>) rollup.get("counts");
        assertThat(counts.get("recipients")).isEqualTo(30);
        assertThat(counts.get("delivered")).isEqualTo(30);
        assertThat(counts.get("read")).isEqualTo(1); // still READ, not moved back to DELIVERED
    }
}
