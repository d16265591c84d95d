package org.wardfleet.policy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The policy files Wardfleet starts with: {@code wardfleet.policy.directory} when set (the hospital's Git checkout),
 * otherwise the baselines shipped in the jar. All are validated at start: one invalid file stops the server with its
 * file name, path and line, rather than serving a policy nobody reviewed.
 */
final class PolicyDirectory {

    private static final Logger log = LoggerFactory.getLogger(PolicyDirectory.class);

    record File(String name, String text, PolicyDocument document) {
    }

    private final List<File> files;

    private PolicyDirectory(List<File> files) {
        this.files = List.copyOf(files);
    }

    List<File> files() {
        return files;
    }

    static PolicyDirectory load(PolicySchema schema, Path directory) {
        List<File> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Source source : directory == null ? shipped() : onDisk(directory)) {
            try {
                files.add(new File(source.name(), source.text(), schema.parse(source.text())));
            } catch (PolicySchema.Invalid invalid) {
                invalid.problems().forEach(p -> problems.add(source.name() + ":" + p.line() + " " + p.path() + ": "
                        + p.message()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid policy files:\n  " + String.join("\n  ", problems));
        }
        var names = files.stream().collect(Collectors.groupingBy(f -> f.document().name(), Collectors.counting()));
        names.forEach((name, count) -> {
            if (count > 1) {
                throw new IllegalStateException("Two policy files are named '" + name + "'");
            }
        });
        log.info("Policies: {} file(s) from {}", files.size(), directory == null ? "the shipped baselines" : directory);
        return new PolicyDirectory(files);
    }

    private record Source(String name, String text) {
    }

    private static List<Source> onDisk(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Source> sources = new ArrayList<>();
            for (Path p : walk.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted(Comparator.naturalOrder())
                    .toList()) {
                sources.add(new Source(directory.relativize(p).toString(), Files.readString(p)));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read wardfleet.policy.directory " + directory, e);
        }
    }

    private static List<Source> shipped() {
        try {
            List<Source> sources = new ArrayList<>();
            Resource[] resources = new PathMatchingResourcePatternResolver()
                    .getResources("classpath:policies/baselines/*.yaml");
            java.util.Arrays.sort(resources, Comparator.comparing(Resource::getFilename));
            for (Resource r : resources) {
                try (InputStream in = r.getInputStream()) {
                    sources.add(new Source("baselines/" + r.getFilename(),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the shipped policy baselines", e);
        }
    }
}
