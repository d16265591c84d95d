package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/**
 * A misspelt field is refused and named instead of being dropped in silence; an unknown enum value lists the values
 * allowed. Devices are the exception: an app newer than the server may send fields the server does not know.
 */
@WardfleetTest
class UnknownFieldsTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void aMisspeltFieldIsRefusedWithItsNameAndNothingIsCreated() {
        TestApi.User admin = api.newOrganisation();
        http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("ownership", "COPE", "platform", "android", "maxuses", 5)).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:malformed-request")
                .jsonPath("$.errors[0].path").isEqualTo("maxuses")
                .jsonPath("$.errors[0].message").isEqualTo("unknown field")
                .jsonPath("$.errors[0].allowed[?(@ == 'maxUses')]").exists()
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("maxuses"));
        http.get().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
    }

    @Test
    void anUnknownFieldInsideANestedObjectIsNamedByItsPath() {
        TestApi.User admin = api.newOrganisation();
        http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "typo", "timeZone", "UTC", "rota", Map.of("participants",
                        List.of(admin.id()), "start", "2026-01-01T08:00", "shift", "P1D", "shfit", "P7D")))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].path").isEqualTo("rota.shfit");
    }

    @Test
    void anUnknownEnumValueListsTheAllowedValues() {
        TestApi.User admin = api.newOrganisation();
        http.put().uri("/api/v1/users/{id}/roles", admin.id()).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("roles", List.of("ADMIN", "SUPERUSER"))).exchange()
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:malformed-request")
                .jsonPath("$.errors[0].path").isEqualTo("roles[1]")
                .jsonPath("$.errors[0].allowed").isEqualTo(List.of("ADMIN", "SECURITY", "CLINICIAN", "INCIDENT_LEAD"))
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("CLINICIAN"));
        // an enum written in its own wire form (lower case) lists that form
        http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("ownership", "COPE", "platform", "windows")).exchange()
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].path").isEqualTo("platform")
                .jsonPath("$.errors[0].allowed").isEqualTo(List.of("android", "ios"));
    }

    @Test
    void aDeviceAppNewerThanTheServerMaySendFieldsTheServerDoesNotKnow() {
        TestDevice device = api.enrolledDevice(api.adminToken(), "COPE", null);
        api.deviceCall(device, "POST", "/device/v1/checkin", Map.of("osVersion", "15", "batteryHealth", "good"))
                .expectStatus().isOk().expectBody().jsonPath("$.deviceId").isEqualTo(device.deviceId());
        // the invitation secret is the credential on enrollment: a newer app's extra fields are ignored there too
        Map<?, ?> invitation = api.invitation(api.adminToken(), Map.of("ownership", "COPE", "platform", "android"));
        api.enroll((String) invitation.get("secret"), TestDevice.p256(), "android", Map.of("foldable", true));
    }

    @Test
    void wctpXmlIsNotJsonAndIsUnaffected() {
        assertThat(api.wctp("<?xml version=\"1.0\"?><wctp-Operation wctpVersion=\"wctp-dtd-v1r3\">"
                + "<wctp-VersionQuery inquirer=\"test\" unknownAttribute=\"x\"/></wctp-Operation>"))
                .contains("wctp-VersionResponse");
    }
}
