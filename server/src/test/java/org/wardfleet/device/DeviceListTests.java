package org.wardfleet.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import reactor.core.publisher.Flux;

/** The inventory list the console pages through: long id filters, the search box, the order of a page. */
@WardfleetTest
class DeviceListTests {

    @Autowired TestApi api;
    @Autowired Devices devices;
    @Autowired DeviceInventory inventory;
    @Autowired WebTestClient http;

    @Test
    void aPageFarBeyondTheEndIsABadRequestNotAServerError() {
        TestApi.User admin = api.newOrganisation();
        http.get().uri("/api/v1/devices?page=50000000&size=100").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.type")
                .isEqualTo("urn:wardfleet:problem:validation-failed");
        http.get().uri("/api/v1/audit?page=50000000&size=100").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void aPageLimitedToHundredsOfIdsIsTheSamePageInTheSameOrderAsTheListItFilters() {
        TestApi.User admin = api.newOrganisation();
        Caller it = caller(admin);
        List<Device> registered = Flux.range(0, 300)
                .concatMap(i -> devices.register(device(it.orgId(), i, null, "SN-" + i)))
                .collectList().block();
        List<String> all = ids(inventory.list(it, query(null, null, 1)).block());
        assertThat(all).hasSize(50);
        Set<String> everyId = new HashSet<>();
        registered.forEach(d -> everyId.add(d.id()));
        DevicePage limited = inventory.list(it, query(null, everyId, 1)).block();
        assertThat(ids(limited)).isEqualTo(all);
        assertThat(limited.total()).isEqualTo(300);

        Set<String> half = new HashSet<>();
        for (int i = 0; i < registered.size(); i += 2) {
            half.add(registered.get(i).id());
        }
        DevicePage halfPage = inventory.list(it, query(null, half, 2)).block();
        assertThat(halfPage.total()).isEqualTo(150);
        assertThat(ids(halfPage)).hasSize(50).allMatch(half::contains);
        List<Instant> seen = halfPage.items().stream().map(Device::lastSeenAt).toList();
        assertThat(seen).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void theSearchFindsAHardwareSerialACertificateSerialAndThePersonByName() {
        TestApi.User admin = api.newOrganisation();
        Caller it = caller(admin);
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        Device hers = devices.register(device(it.orgId(), 1, nurse.id(), "R58N-XYZ-001")).block();
        devices.register(device(it.orgId(), 2, null, "OTHER-002")).block();

        assertThat(ids(inventory.list(it, query("r58n-xyz", null, 0)).block())).containsExactly(hers.id());
        assertThat(ids(inventory.list(it, query(hers.certificateSerial().substring(0, 12), null, 0)).block()))
                .containsExactly(hers.id());
        assertThat(ids(inventory.list(it, query("Test CLIN", null, 0)).block())).containsExactly(hers.id());
        assertThat(ids(inventory.list(it, query(nurse.email(), null, 0)).block())).containsExactly(hers.id());
    }

    private static DeviceQuery query(String text, Set<String> ids, int page) {
        return new DeviceQuery(null, null, null, null, text, null, null, null, ids, DeviceQuery.Sort.LAST_SEEN, page,
                50);
    }

    private static List<String> ids(DevicePage page) {
        return page.items().stream().map(Device::id).toList();
    }

    private Caller caller(TestApi.User admin) {
        String orgId = (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
        return new Caller(admin.id(), orgId, admin.email(), Set.of(Role.ADMIN));
    }

    private static NewDevice device(String orgId, int i, String person, String serial) {
        return new NewDevice(UUID.randomUUID().toString(), orgId, Ownership.COPE, DevicePlatform.ANDROID, "Model " + i,
                "15", "2026-10-05", "1.0.0", person, List.of(), UUID.randomUUID().toString().replace("-", ""),
                Instant.now().plus(Duration.ofDays(365)), "unused", new Device.Hardware(serial, null), "test", false);
    }
}
