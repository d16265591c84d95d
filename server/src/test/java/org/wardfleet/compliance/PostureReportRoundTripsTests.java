package org.wardfleet.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.wardfleet.identity.Tenants;
import org.wardfleet.support.MongoCommands;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/**
 * The database round trips one posture report costs, counted by the driver (issue 24: posture throughput was bound
 * by waiting, not by crypto). A report of a device whose state does not change is the common case.
 */
@WardfleetTest
@Import(MongoCommands.class)
class PostureReportRoundTripsTests {

    @Autowired TestApi api;
    @Autowired Tenants tenants;
    @Autowired MongoCommands commands;

    @Test
    void aRoutineReportCostsFewDatabaseRoundTrips() {
        String suffix = UUID.randomUUID().toString();
        Tenants.NewTenant org = tenants.create("Posture " + suffix, "admin-" + suffix + "@posture.test",
                "pw-" + suffix).block();
        String admin = api.token("admin-" + suffix + "@posture.test", "pw-" + suffix);
        TestDevice phone = api.enrolledDevice(admin, "COPE", null);
        report(phone, posture(phone)); // the first report changes the state (UNKNOWN → ...)

        Map<String, Object> claims = posture(phone);
        List<MongoCommands.Command> sent = MongoCommands.mentioning(commands.during(() -> report(phone, claims)),
                org.orgId(), phone.deviceId());

        System.out.println("posture report round trips (" + sent.size() + ", " + commands.inARow(sent)
                + " waited for in a row): " + sent + commands.timeline(sent));
        // device JWT: the device, the token's first use, the certificate's status; the report: its nonce, the
        // organisation's policy generation, the current state, the history entry. Was 9 (the device read twice, the
        // current state read before it was written).
        assertThat(sent).extracting(MongoCommands.Command::toString).containsExactlyInAnyOrder(
                "find devices", "insert device_jwt_ids", "find device_certificates",
                "findandmodify attestation_nonces", "find policy_org_state",
                "update device_compliance", "insert compliance_reports");
    }

    private void report(TestDevice device, Map<String, Object> claims) {
        api.deviceCall(device, "POST", "/device/v1/attestation", Map.of("report", device.signReport(claims)))
                .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("NON_COMPLIANT");
    }

    private Map<String, Object> posture(TestDevice device) {
        String nonce = (String) api.deviceCall(device, "POST", "/device/v1/attestation/challenge", null)
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("nonce");
        Map<String, Object> claims = new HashMap<>();
        claims.put("nonce", nonce);
        claims.put("osVersion", "15");
        claims.put("securityPatchLevel", LocalDate.now(ZoneOffset.UTC).minusDays(20).toString());
        claims.put("encrypted", true);
        claims.put("passcodeSet", true);
        claims.put("passcodeQuality", "complex");
        claims.put("rooted", false);
        claims.put("installedManagedApps", List.of("org.wardfleet.messaging"));
        return claims;
    }
}
