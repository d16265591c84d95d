package org.wardfleet.push.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.sdk.DeviceStream;
import org.wardfleet.sdk.SoftwareKeyStore;
import org.wardfleet.support.SdkPhone;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * A phone retired by IT, or renewed onto a new certificate, loses the stream it opened before: the device's event ends
 * it at once (the revocation sweep behind it runs only every ten minutes); other phones' streams stay open, and the
 * sweep leaves streams of usable devices alone.
 */
@WardfleetTest
class StreamRevocationTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired StreamMaintenance maintenance;
    @LocalServerPort int port;

    @Test
    void retiredAndRenewedDevicesLoseTheirStreamsOthersKeepThem() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone retired = phone(admin);
        SdkPhone renewed = phone(admin);
        SdkPhone untouched = phone(admin);
        List<String> events = new CopyOnWriteArrayList<>();
        try (DeviceStream a = retired.client().openStream(events::add);
                DeviceStream b = renewed.client().openStream(events::add);
                DeviceStream c = untouched.client().openStream(events::add)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().filter(e -> e.contains("hello"))
                    .count() == 3);
            assertThat(maintenance.endRevoked().block()).isZero();
            assertThat(a.closed()).isNotDone();
            assertThat(b.closed()).isNotDone();

            http.post().uri("/api/v1/devices/{id}/actions", retired.device().deviceId())
                    .headers(h -> h.setBearerAuth(admin.token())).bodyValue(Map.of("type", "RETIRE")).exchange()
                    .expectStatus().isAccepted();
            renewed.client().renew(SoftwareKeyStore.generate());

            await().atMost(Duration.ofSeconds(60)).until(() -> a.closed().isDone() && b.closed().isDone());
            assertThat(c.closed()).isNotDone();
        }
    }

    private SdkPhone phone(TestApi.User admin) {
        return SdkPhone.enroll(api, admin, port);
    }
}
