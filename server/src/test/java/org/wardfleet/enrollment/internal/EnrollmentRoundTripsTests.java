package org.wardfleet.enrollment.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The database round trips one enrollment costs, counted by the driver (issue 24: enrollment throughput was bound by
 * waiting, not by crypto).
 */
@WardfleetTest
@Import(MongoCommands.class)
class EnrollmentRoundTripsTests {

    @Autowired TestApi api;
    @Autowired Tenants tenants;
    @Autowired MongoCommands commands;

    @Test
    void anEnrollmentCostsFewDatabaseRoundTrips() {
        String suffix = UUID.randomUUID().toString();
        Tenants.NewTenant org = tenants.create("Enroll " + suffix, "admin-" + suffix + "@enroll.test",
                "pw-" + suffix).block();
        String admin = api.token("admin-" + suffix + "@enroll.test", "pw-" + suffix);
        String secret = (String) api.invitation(admin, Map.of("ownership", "COPE", "platform", "android",
                "maxUses", 2)).get("secret");
        api.enroll(secret, TestDevice.p256(), "android", Map.of()); // the organisation's CA key is loaded once

        TestDevice phone = TestDevice.p256();
        List<MongoCommands.Command> all = commands.during(() -> api.enroll(secret, phone, "android", Map.of()));
        List<MongoCommands.Command> sent = MongoCommands.mentioning(all, org.orgId(), phone.deviceId(),
                Secrets.hash(secret));

        System.out.println("enrollment round trips (" + sent.size() + ", " + commands.inARow(sent)
                + " waited for in a row): " + sent + commands.timeline(sent));
        // the invitation's use, the certificate's record and the device (sent at once), the audit entry and the
        // chain's head (written after the entry, so that entries lost later are seen as a gap)
        assertThat(sent).extracting(MongoCommands.Command::toString).containsExactlyInAnyOrder(
                "findandmodify invitations", "insert device_certificates", "insert devices", "insert audit_entries",
                "update audit_heads");
    }
}
