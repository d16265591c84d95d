package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Every {@code WARDFLEET_*} variable that README.md or docs/ tell an operator to set must reach a setting Wardfleet
 * reads: a documented name that binds to nothing is a secret silently replaced by a default (the CA passphrase once
 * was). Each variable is set alone in an environment exactly as Spring Boot builds it from the process environment
 * (plus {@link EnvironmentAliases}), and every property of every {@code @ConfigurationProperties} record is bound.
 */
class DocumentedEnvironmentVariablesTests {

    static final Pattern VARIABLE = Pattern.compile("WARDFLEET_[A-Z0-9_]*[A-Z0-9]");
    /** "`WARDFLEET_X` (`wardfleet.x`" and "`wardfleet.x` = `WARDFLEET_X`": the docs say which property it is. */
    static final Pattern NAMED_AFTER = Pattern.compile("`(WARDFLEET_[A-Z0-9_]+)` \\(`(wardfleet\\.[a-z0-9.-]+)`");
    static final Pattern NAMED_BEFORE = Pattern.compile("`(wardfleet\\.[a-z0-9.-]+)` = `(WARDFLEET_[A-Z0-9_]+)`");

    @Test
    void everyEnvironmentVariableTheDocsNameSetsTheSettingTheyDescribe() throws IOException {
        Map<String, String> docs = documentation();
        Map<String, String> documentedProperty = new TreeMap<>();
        docs.values().forEach(text -> {
            Matcher after = NAMED_AFTER.matcher(text);
            while (after.find()) {
                documentedProperty.put(after.group(1), after.group(2));
            }
            Matcher before = NAMED_BEFORE.matcher(text);
            while (before.find()) {
                documentedProperty.put(before.group(2), before.group(1));
            }
        });
        Map<String, String> variables = new TreeMap<>();
        docs.forEach((file, text) -> {
            Matcher m = VARIABLE.matcher(text);
            while (m.find()) {
                variables.putIfAbsent(m.group(), file);
            }
        });
        assertThat(variables).as("the docs name environment variables").isNotEmpty();

        List<String> properties = wardfleetProperties();
        java.util.Set<String> readDirectly = readOutsideSpring();
        List<String> unbound = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        variables.forEach((variable, file) -> {
            List<String> reached = bound(variable, properties);
            if (reached.isEmpty() && !readDirectly.contains(variable)) {
                unbound.add(variable + " (" + file + ")");
            } else if (documentedProperty.containsKey(variable)
                    && !reached.contains(documentedProperty.get(variable))) {
                wrong.add(variable + " sets " + reached + ", documented as " + documentedProperty.get(variable));
            }
        });
        assertThat(unbound).as("documented environment variables that set nothing").isEmpty();
        assertThat(wrong).as("documented environment variables that set another property").isEmpty();
    }

    @Test
    void theCanonicalNameWinsOverItsDocumentedAlias() {
        StandardEnvironment env = environment(Map.of("WARDFLEET_CA_PASSPHRASE", "from-the-alias-1234",
                "WARDFLEET_PKI_CA_PASSPHRASE", "from-the-canonical-name"));
        assertThat(Binder.get(env).bind("wardfleet.pki.ca-passphrase", String.class).get())
                .isEqualTo("from-the-canonical-name");
    }

    /** The properties a lone {@code variable} sets. */
    private static List<String> bound(String variable, List<String> properties) {
        String probe = "probe-value-" + variable.toLowerCase(java.util.Locale.ROOT);
        Binder binder = Binder.get(environment(Map.of(variable, probe)));
        return properties.stream()
                .filter(p -> probe.equals(binder.bind(p, String.class).orElse(null)))
                .toList();
    }

    /** What Spring Boot builds from the process environment, with {@code variables} as that environment. */
    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        // as registered in META-INF/spring.factories, so a processor that is not registered does not count
        org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation()
                .load(org.springframework.boot.EnvironmentPostProcessor.class, null, (type, name, failure) -> {
                    // Spring Boot's own processors need its logging set up; only ours matter here
                }).stream()
                .filter(p -> p.getClass().getName().startsWith("org.wardfleet."))
                .forEach(p -> p.postProcessEnvironment(env, new SpringApplication()));
        return env;
    }

    /** Every leaf property of every {@code @ConfigurationProperties} record under {@code org.wardfleet}. */
    private static List<String> wardfleetProperties() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        TreeSet<String> names = new TreeSet<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("org.wardfleet")) {
            try {
                Class<?> type = Class.forName(candidate.getBeanClassName());
                ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
                String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
                leaves(prefix, type, names);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(names).as("configuration properties found").contains("wardfleet.mongodb.uri");
        return List.copyOf(names);
    }

    private static void leaves(String prefix, Class<?> type, Collection<String> names) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            if (component.getType().isRecord()) {
                leaves(name, component.getType(), names);
            } else {
                names.add(name);
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** README.md and every docs/**.md, by path relative to the repository root. */
    /**
     * Variables the code reads itself with {@code System.getenv("WARDFLEET_…")}: the storage server process runs
     * before (and without) Spring, so its password variable is no property.
     */
    private static java.util.Set<String> readOutsideSpring() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("server/src/main/java"))
                && !Files.isDirectory(root.resolve("src/main/java"))) {
            root = root.getParent();
        }
        assertThat(root).as("the server's sources").isNotNull();
        Path sources = Files.isDirectory(root.resolve("server/src/main/java")) ? root.resolve("server/src/main/java")
                : root.resolve("src/main/java");
        Pattern getenv = Pattern.compile("System\\.getenv\\(\"(WARDFLEET_[A-Z0-9_]+)\"\\)");
        java.util.Set<String> names = new java.util.TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = getenv.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static Map<String, String> documentation() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !(Files.exists(root.resolve("README.md")) && Files.isDirectory(root.resolve("docs")))) {
            root = root.getParent();
        }
        assertThat(root).as("the repository root (README.md and docs/)").isNotNull();
        Map<String, String> docs = new TreeMap<>();
        docs.put("README.md", Files.readString(root.resolve("README.md")));
        Path base = root;
        try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                docs.put(base.relativize(file).toString(), Files.readString(file));
            }
        }
        return docs;
    }
}
