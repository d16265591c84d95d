package org.wardfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardfleet.support.PackagedServer;

/**
 * The commands the README's first tour and docs/enrollment.md tell a new user to type, taken from the Markdown as
 * written and run in bash (curl, jq, openssl) against the packaged jar, so that the documentation cannot rot again.
 * Only the port (the docs say 8443) and the printed password are filled in.
 */
class DocsCommandsIT {

    private static final Path REPO = Path.of(System.getProperty("wardfleet.jar", "target/wardfleet-server.jar"))
            .toAbsolutePath().getParent().getParent().getParent();

    @Test
    void theReadmeTourAndTheEnrollmentCommandsWorkAsWritten(@TempDir Path root) throws Exception {
        String tour = shBlockAfter(REPO.resolve("README.md"), "## A first tour with curl");
        String enrollment = shBlockAfter(REPO.resolve("docs/enrollment.md"), "## Enrolling with EST");
        int port = PackagedServer.freePort();
        try (PackagedServer server = PackagedServer.start(PackagedServer.currentJava(), root, port, List.of(),
                "--wardfleet.bootstrap.admin-email=admin@wardfleet.local")) {
            server.readiness(server.https());
            String script = "set -euo pipefail\n" + (tour + "\n" + enrollment)
                    .replace("https://localhost:8443", "https://localhost:" + port)
                    .replace("<printed password>", PackagedServer.PASSWORD);
            Path file = root.resolve("docs-commands.sh");
            Files.writeString(file, script);
            Process bash = new ProcessBuilder("bash", file.toString()).directory(root.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(bash.exitValue()).as("the commands failed:%n%s%nscript:%n%s", output, script).isZero();
            assertThat(output).as(output)
                    .contains("\"email\":\"admin@wardfleet.local\"") // GET /me with the token
                    .contains("dr.ng@hospital.example") // the clinician created
                    .contains("\"secret\"") // an invitation
                    .contains("\"valid\":true") // the audit chain
                    .contains("\"status\":\"UP\"") // readiness
                    .contains("device.pem: OK") // EST enrollment
                    .contains("renewed.pem: OK") // EST re-enrollment
                    .doesNotContain("urn:wardfleet:problem");
        }
    }

    /** The first {@code ```sh} block after the heading. */
    static String shBlockAfter(Path markdown, String heading) throws Exception {
        String text = Files.readString(markdown);
        int at = text.indexOf(heading);
        assertThat(at).as("%s has the heading %s", markdown, heading).isNotNegative();
        Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertThat(block.find(at)).as("a sh block after %s in %s", heading, markdown).isTrue();
        return block.group(1);
    }
}
