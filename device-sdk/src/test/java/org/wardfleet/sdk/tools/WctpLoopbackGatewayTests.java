package org.wardfleet.sdk.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The dev gateway answers as told (code, times, delay) over its HTTP control endpoint and lists what it got. */
class WctpLoopbackGatewayTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersAsToldAndRecordsEveryRequest() throws Exception {
        try (WctpLoopbackGateway gateway = new WctpLoopbackGateway()) {
            String base = gateway.url().replace("/wctp", "");
            assertThat(post(gateway.url(), submit("4321"))).contains("successCode=\"200\"");

            assertThat(post(base + "/control?code=604&times=2&delayMs=300", "")).isEqualTo("ok\n");
            long start = System.nanoTime();
            assertThat(post(gateway.url(), submit("4321"))).contains("errorCode=\"604\"");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(post(gateway.url(), submit("4321"))).contains("errorCode=\"604\"");
            post(base + "/control?code=200&times=0&delayMs=0", "");
            assertThat(post(gateway.url(), submit("4321"))).contains("successCode=\"200\"");

            String received = http.send(HttpRequest.newBuilder(URI.create(base + "/received")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(received).startsWith("[\"").contains("recipientID=\\\"4321\\\"");
            assertThat(gateway.received()).hasSize(4);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/control?code=abc")).POST(
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(400);
        }
    }

    private String post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String submit(String pager) {
        return "<wctp-Operation wctpVersion=\"wctp-dtd-v1r3\"><wctp-SubmitRequest><wctp-SubmitHeader>"
                + "<wctp-Originator senderID=\"wardfleet\" securityCode=\"x\"/><wctp-Recipient recipientID=\"" + pager
                + "\"/></wctp-SubmitHeader><wctp-Payload><wctp-Alphanumeric>STAT - open Wardfleet - ref 1</wctp-Alphanumeric>"
                + "</wctp-Payload></wctp-SubmitRequest></wctp-Operation>";
    }
}
