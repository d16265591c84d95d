package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wardfleet.support.RawHttp;
import org.wardfleet.support.RunningServer;

/**
 * A hospital network has phones walking out of Wi-Fi range mid-request: a body that stops arriving is cut off after
 * {@code wardfleet.http.body-read-timeout} (a dribbling one after {@code body-total-timeout}) instead of holding a
 * connection open, and a client hanging up is an everyday event, not an ERROR with a stack trace in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlowClientTests {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(6);
    /** CI machines are small and busy: the cut-off may come late, but it must come. */
    static final Duration MARGIN = Duration.ofSeconds(30);
    static final String EMAIL = "slow-clients@hospital.test";
    static final String PASSWORD = "slow-clients-password-1";

    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of(
                "wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-email", EMAIL,
                "wardfleet.bootstrap.admin-password", PASSWORD,
                "wardfleet.http.body-read-timeout", READ_TIMEOUT.toSeconds() + "s",
                "wardfleet.http.body-total-timeout", TOTAL_TIMEOUT.toSeconds() + "s",
                "logging.level.org.wardfleet.platform.web.ClientDisconnects", "DEBUG"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBodyThatStopsArrivingIsCutOffAndTheServerKeepsServing(CapturedOutput output) throws IOException {
        try (RawHttp stalled = RawHttp.connect(server.port())) {
            stalled.send(RawHttp.head("POST", "/api/v1/auth/token", "application/json", 1000));
            stalled.send("{\"email\":\"".getBytes(StandardCharsets.UTF_8));
            assertThat(stalled.closedByServerWithin(READ_TIMEOUT.plus(MARGIN))).as("stalled body cut off").isTrue();
        }
        assertThat(dribbledUntilCutOff(TOTAL_TIMEOUT.plus(MARGIN))).as("dribbling body cut off").isTrue();
        signIn();
        assertThat(errorsIn(output)).isEmpty();
    }

    @Test
    void clientsHangingUpMidRequestOrMidResponseLeaveNoErrorInTheLog(CapturedOutput output) throws Exception {
        long before = disconnectsLogged(output);
        // half a body, then the phone is gone: a clean close, then a reset
        try (RawHttp gone = RawHttp.connect(server.port())) {
            gone.send(RawHttp.head("POST", "/api/v1/auth/token", "application/json", 1000));
            gone.send("{\"email\":\"".getBytes(StandardCharsets.UTF_8));
        }
        try (Socket reset = new Socket("127.0.0.1", server.port())) {
            reset.getOutputStream().write(RawHttp.head("POST", "/api/v1/auth/token", "application/json", 1000));
            reset.getOutputStream().write("{\"email\":\"".getBytes(StandardCharsets.UTF_8));
            reset.setSoLinger(true, 0);
        }
        // mid-response: a whole request, then a reset before the (slow, password-hashing) answer is written
        byte[] body = ("{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}").getBytes(StandardCharsets.UTF_8);
        try (Socket reset = new Socket("127.0.0.1", server.port())) {
            reset.getOutputStream().write(RawHttp.head("POST", "/api/v1/auth/token", "application/json", body.length));
            reset.getOutputStream().write(body);
            reset.setSoLinger(true, 0);
        }
        // the server has seen both mid-body hang-ups (or logged an error about them)
        await().atMost(Duration.ofSeconds(60)).until(() -> disconnectsLogged(output) >= before + 2
                || !errorsIn(output).isEmpty());
        signIn();
        assertThat(errorsIn(output)).isEmpty();
        assertThat(output.getAll()).doesNotContain("\tat ");
    }

    /** Sends one byte a second, each well inside the read timeout; true when the server ended it within {@code max}. */
    private static boolean dribbledUntilCutOff(Duration max) throws IOException {
        long deadline = System.nanoTime() + max.toNanos();
        try (Socket dribble = new Socket("127.0.0.1", server.port())) {
            dribble.getOutputStream().write(RawHttp.head("POST", "/api/v1/auth/token", "application/json", 1000));
            while (System.nanoTime() < deadline) {
                try {
                    dribble.getOutputStream().write(' ');
                    dribble.getOutputStream().flush();
                    Thread.sleep(1000);
                } catch (IOException closed) {
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    private static void signIn() {
        server.http().post().uri("/api/v1/auth/token").bodyValue(Map.of("email", EMAIL, "password", PASSWORD))
                .exchange().expectStatus().isOk();
    }

    private static java.util.List<String> errorsIn(CapturedOutput output) {
        return output.getAll().lines().filter(l -> l.contains(" ERROR ")).toList();
    }

    private static long disconnectsLogged(CapturedOutput output) {
        return output.getAll().lines().filter(l -> l.contains("Client went away")).count();
    }
}
