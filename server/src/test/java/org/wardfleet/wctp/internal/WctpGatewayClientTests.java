package org.wardfleet.wctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.wardfleet.messaging.Priority;
import org.wardfleet.sdk.tools.WctpLoopbackGateway;

/** The outbound WCTP client against a loopback gateway: temporary failures retried, refusals final, no PHI sent. */
class WctpGatewayClientTests {

    @Test
    void aPagerMessageGoesOutRetriedOnTemporaryFailuresAndNeverOnRefusals() throws Exception {
        try (WctpLoopbackGateway gateway = new WctpLoopbackGateway()) {
            WctpGatewayClient client = new WctpGatewayClient(gateway.url(), "wardfleet", "gateway-code-12345",
                    4, Duration.ofMillis(20), "reference", 160);
            String text = WctpGatewayClient.pagerText(Priority.STAT, "7F3K");
            assertThat(text).isEqualTo("STAT - open Wardfleet - ref 7F3K");

            WctpGatewayClient.Outcome ok = client.send("1234", text, "m-1", true).block();
            assertThat(ok.accepted()).isTrue();
            assertThat(ok.attempts()).isEqualTo(1);
            assertThat(gateway.received().get(0)).contains("recipientID=\"1234\"").contains("deliveryPriority=\"HIGH\"")
                    .contains("securityCode=\"gateway-code-12345\"").contains(text);

            gateway.answerWith(604, 2); // temporary twice, then accepted
            java.util.List<Integer> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            WctpGatewayClient.Outcome retried = client.send("1234", text, "m-2", true,
                    failed -> reactor.core.publisher.Mono.fromRunnable(() -> heard.add(failed.code()))).block();
            assertThat(retried.accepted()).isTrue();
            assertThat(retried.attempts()).isEqualTo(3);
            assertThat(heard).containsExactly(604, 604); // every attempt is heard (the page timeline shows them)

            gateway.answerWith(403, 5); // a refusal is final
            WctpGatewayClient.Outcome refused = client.send("9999", text, "m-3", false).block();
            assertThat(refused.accepted()).isFalse();
            assertThat(refused.code()).isEqualTo(403);
            assertThat(refused.attempts()).isEqualTo(1);

            gateway.answerWith(605, 10); // temporary every time: gives up after the configured attempts
            WctpGatewayClient.Outcome exhausted = client.send("1234", text, "m-4", true).block();
            assertThat(exhausted.accepted()).isFalse();
            assertThat(exhausted.code()).isEqualTo(605);
            assertThat(exhausted.attempts()).isEqualTo(4);
        }
        WctpGatewayClient down = new WctpGatewayClient("http://127.0.0.1:1/wctp", "w", "c", 2, Duration.ofMillis(10),
                "reference", 160);
        WctpGatewayClient.Outcome unreachable = down.send("1", "x", "m", true).block();
        assertThat(unreachable.accepted()).isFalse();
        assertThat(unreachable.attempts()).isEqualTo(2);
        assertThat(new WctpGatewayClient("", "w", "c", 2, Duration.ofMillis(10), "reference", 160)
                .send("1", "x", "m", true).block().text()).contains("No pager gateway");
    }

    @Test
    void pagerTextFollowsTheHospitalsPagerPolicy() {
        WctpGatewayClient strict = new WctpGatewayClient("", "w", "c", 1, Duration.ofMillis(1), "reference", 160);
        assertThat(strict.policyText(Priority.STAT, "ab12cd34", "Mr Jones bed 2")).isEqualTo(
                "STAT - open Wardfleet - ref ab12cd34");
        WctpGatewayClient open = new WctpGatewayClient("", "w", "c", 1, Duration.ofMillis(1), "message", 20);
        assertThat(open.policyText(Priority.URGENT, "ab12cd34", "Lab result ready for review")).isEqualTo(
                "URGENT: Lab result r").hasSize(20);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WctpGatewayClient("", "w", "c", 1,
                Duration.ofMillis(1), "everything", 20)).hasMessageContaining("pager-text");
    }
}
