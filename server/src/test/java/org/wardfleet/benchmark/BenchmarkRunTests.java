package org.wardfleet.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The rule of issue 24, on its own: incomplete work fails the benchmark with a count and a reason, never a ratio. */
class BenchmarkRunTests {

    @Test
    void aBroadcastThatReachedNineThousandNineHundredNinetySevenOfTenThousandPhonesFailsSayingSo() {
        BenchmarkRun run = new BenchmarkRun("broadcast benchmark", "benchmark-run-tests.txt");

        assertThatThrownBy(() -> run.require("phones with the broadcast", 9_997, 10_000, "simulator reported partial"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("9997 of 10000 phones with the broadcast — simulator reported partial")
                .hasMessageNotContaining("ratio:");
        assertThat(Path.of("target", "benchmark-run-tests.txt")).content().contains("INCOMPLETE: 9997 of 10000");
    }

    @Test
    void aCompleteRunReportsAndAnEarlierResultIsNeverReadAsThisRunsResult() throws Exception {
        Path file = Path.of("target", "benchmark-run-tests-2.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "ratio 1.0 from an earlier run\n");
        BenchmarkRun run = new BenchmarkRun("x benchmark", "benchmark-run-tests-2.txt");
        assertThat(file).doesNotExist();

        run.require("pages", 1_000, 1_000, "");
        run.require(true, "never said");
        run.report("ratio 2.0\n");

        assertThat(file).content().isEqualTo("ratio 2.0\n");
    }

    @Test
    void theMedianOfRoundsIsTheMiddleOne() {
        assertThat(BenchmarkRun.median(List.of(3.0, 1.0, 200.0))).isEqualTo(3.0);
        assertThat(BenchmarkRun.median(List.of(4L, 2L))).isEqualTo(3.0);
    }
}
