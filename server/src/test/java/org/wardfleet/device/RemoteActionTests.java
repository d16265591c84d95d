package org.wardfleet.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

@WardfleetTest
class RemoteActionTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    private Map<?, ?> act(String admin, String deviceId, String type) {
        return http.post().uri("/api/v1/devices/{id}/actions", deviceId).headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("type", type)).exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<?, ?> checkIn(TestDevice device) {
        return api.deviceCall(device, "POST", "/device/v1/checkin", Map.of("osVersion", "15.1",
                "securityPatchLevel", "2026-11-01", "pushToken", "fcm-token-1"))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<String> types(List<?> actions) {
        return actions.stream().map(a -> String.valueOf(((Map<?, ?>) a).get("type"))).toList();
    }

    @Test
    void actionsAreQueuedHandedOverAtCheckInAndAcknowledgedOnce() {
        String admin = api.adminToken();
        TestDevice device = api.enrolledDevice(admin, "COPE", null);
        Map<?, ?> lock = act(admin, device.deviceId(), "LOCK");
        assertThat(lock.get("state")).isEqualTo("PENDING");
        // asking again while it is open is the same action (idempotent)
        assertThat(act(admin, device.deviceId(), "LOCK").get("id")).isEqualTo(lock.get("id"));
        act(admin, device.deviceId(), "SYNC");

        List<?> pending = (List<?>) checkIn(device).get("pendingActions");
        assertThat(types(pending)).containsExactly("LOCK", "SYNC");

        api.deviceCall(device, "POST", "/device/v1/actions/" + lock.get("id") + "/result",
                        Map.of("result", "DONE", "message", "locked"))
                .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("DONE");
        // a repeated report changes nothing
        api.deviceCall(device, "POST", "/device/v1/actions/" + lock.get("id") + "/result",
                        Map.of("result", "FAILED", "message", "again"))
                .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("DONE");

        List<?> after = (List<?>) checkIn(device).get("pendingActions");
        assertThat(types(after)).containsExactly("SYNC");

        http.get().uri("/api/v1/devices/{id}", device.deviceId()).headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.device.osVersion").isEqualTo("15.1")
                .jsonPath("$.device.securityPatchLevel").isEqualTo("2026-11-01")
                .jsonPath("$.device.pushTokens[0]").isEqualTo("fcm-token-1")
                .jsonPath("$.device.lastSeenAt").isNotEmpty()
                .jsonPath("$.actions[?(@.type == 'LOCK' && @.state == 'DONE')]").exists()
                .jsonPath("$.timeline[?(@.type == 'action.done')]").exists();
    }

    @Test
    void aPersonalDeviceCannotBeFullyWipedButItsWorkDataCan() {
        String admin = api.adminToken();
        TestApi.User owner = api.createUser(admin, "CLINICIAN");
        TestDevice device = api.enrolledDevice(admin, "BYOD", owner.id());
        http.post().uri("/api/v1/devices/{id}/actions", device.deviceId()).headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("type", "WIPE")).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:byod-full-wipe-refused");

        Map<?, ?> selective = act(admin, device.deviceId(), "SELECTIVE_WIPE");
        checkIn(device);
        api.deviceCall(device, "POST", "/device/v1/actions/" + selective.get("id") + "/result",
                Map.of("result", "DONE")).expectStatus().isOk();
        http.get().uri("/api/v1/devices/{id}", device.deviceId()).headers(h -> h.setBearerAuth(admin)).exchange()
                .expectBody().jsonPath("$.device.state").isEqualTo("WIPED");
        // a wiped device is done: its certificate no longer works
        api.deviceCall(device, "POST", "/device/v1/checkin", Map.of()).expectStatus().isUnauthorized();
    }

    @Test
    void onlyAdminsActAndNobodyActsOnAnotherOrganisationsDevice() {
        String admin = api.adminToken();
        TestDevice device = api.enrolledDevice(admin, "SHARED", null);
        TestApi.User security = api.createUser(admin, "SECURITY");
        http.post().uri("/api/v1/devices/{id}/actions", device.deviceId())
                .headers(h -> h.setBearerAuth(security.token())).bodyValue(Map.of("type", "LOCK")).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/v1/devices/{id}", device.deviceId()).headers(h -> h.setBearerAuth(security.token()))
                .exchange().expectStatus().isOk();
        TestApi.User other = api.newOrganisation();
        http.post().uri("/api/v1/devices/{id}/actions", device.deviceId())
                .headers(h -> h.setBearerAuth(other.token())).bodyValue(Map.of("type", "RETIRE")).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/v1/devices/{id}", device.deviceId()).headers(h -> h.setBearerAuth(other.token()))
                .exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/devices/{id}/actions", device.deviceId()).headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("type", "EXPLODE")).exchange().expectStatus().isBadRequest();
    }

    @Test
    void inventoryFiltersAndClinicianSeesOnlyTheirOwnDevices() {
        String admin = api.adminToken();
        TestApi.User owner = api.createUser(admin, "CLINICIAN");
        TestDevice mine = api.enrolledDevice(admin, "BYOD", owner.id());
        api.enrolledDevice(admin, "SHARED", null);
        http.get().uri("/api/v1/devices?ownership=BYOD&size=200").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items[?(@.ownership != 'BYOD')]").doesNotExist()
                .jsonPath("$.items[?(@.id == '" + mine.deviceId() + "')]").exists();
        http.get().uri("/api/v1/devices?size=200").headers(h -> h.setBearerAuth(owner.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(mine.deviceId());
        http.get().uri("/api/v1/devices?text=" + mine.deviceId().substring(0, 8) + "&state=ACTIVE")
                .headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[0].id").isEqualTo(mine.deviceId());
        http.get().uri("/api/v1/devices?text=(.*)*").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk();
    }
}
