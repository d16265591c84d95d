package org.wardfleet.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rule every benchmark follows (issue 24): a run that did not do all its work — a phone, device or page that did
 * not complete, a simulator that stopped, a baseline that did not connect, a roll-up that never reached N — fails its
 * test with one line saying how many and why, and prints no ratio: a ratio over less work than asked for flatters, and
 * {@code 9,997 of 10,000} once printed {@code ratio -0.0} and passed. One instance per benchmark run; its result file
 * is removed when the run starts, so an earlier run's result is never read as this one's.
 */
public final class BenchmarkRun {

    private final String name;
    private final Path resultFile;

    public BenchmarkRun(String name, String resultFile) {
        this.name = name;
        this.resultFile = Path.of("target", resultFile);
        try {
            Files.deleteIfExists(this.resultFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the run unless all {@code expected} {@code what} completed: "9997 of 10000 phones with it — why". */
    public void require(String what, long done, long expected, String why) {
        if (done != expected) {
            fail(String.format("%d of %d %s%s", done, expected, what,
                    why == null || why.isEmpty() ? "" : " — " + why));
        }
    }

    /** Fails the run with {@code line} unless {@code ok}. */
    public void require(boolean ok, String line) {
        if (!ok) {
            fail(line);
        }
    }

    /** Fails the run: the line goes to stdout and to the result file, and the test fails with it. */
    public AssertionError fail(String line) {
        String message = name + " INCOMPLETE: " + line + "; no ratio (the run did not do all its work)";
        System.out.println(message);
        write(message + "\n");
        throw new AssertionError(message);
    }

    /** The run did all its work: prints the report and writes it to the result file. */
    public void report(String text) {
        System.out.print(text);
        write(text);
    }

    private void write(String text) {
        try {
            Files.createDirectories(resultFile.getParent());
            Files.writeString(resultFile, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double median(List<? extends Number> values) {
        List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
