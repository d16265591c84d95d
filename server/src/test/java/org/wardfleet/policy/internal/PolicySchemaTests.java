package org.wardfleet.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every policy in the repository validates; a broken one is refused with the path and line of each mistake. */
class PolicySchemaTests {

    static final Path POLICIES = Path.of("..", "policies");
    final PolicySchema schema = PolicySchema.load();

    @Test
    @SuppressWarnings("unchecked")
    void everyPolicyFileInTheRepositoryValidates() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(POLICIES)) {
            files = walk.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
                    .filter(p -> !p.startsWith(POLICIES.resolve("schema"))).toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("cope-clinical.yaml", "byod-clinician.yaml", "shared-ward-tablet.yaml");
        for (Path file : files) {
            PolicyDocument doc = schema.parse(Files.readString(file));
            assertThat(file.getFileName().toString()).isEqualTo(doc.name() + ".yaml");
            // NIST SP 1800-4 baseline rule: compromised devices lose access at once, in every shipped baseline
            assertThat(doc.settings().get("integrity.blockCompromised")).as(file.toString()).isEqualTo(true);
            assertThat((List<Object>) doc.settings().get("compliance.noGrace")).as(file.toString())
                    .contains("compromised", "bootloader-unlocked", "attestation-invalid");
        }
    }

    @Test
    void everySettingDeclaresItsPlatformsOwnershipMergeRuleAndControls() {
        assertThat(schema.settings()).hasSizeGreaterThan(25).allSatisfy(s -> {
            assertThat(s.platforms()).as(s.path()).isNotEmpty().isSubsetOf("android", "ios");
            assertThat(s.ownership()).as(s.path()).isNotEmpty().isSubsetOf("BYOD", "COPE", "SHARED");
            assertThat(s.controls()).as(s.path()).isNotEmpty();
            assertThat(MergeRule.known(s.merge())).as(s.path()).isTrue();
        });
        assertThat(schema.settings()).filteredOn(s -> s.path().equals("location.reportingEnabled")).singleElement()
                .satisfies(s -> assertThat(s.ownership()).containsExactly("COPE"));
    }

    @Test
    void docsMapEverySettingToTheControlsItServes() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "policies.md"));
        assertThat(schema.settings()).allSatisfy(s -> assertThat(docs).as(s.path())
                .contains("| `" + s.path() + "` |").contains(s.controls().get(0)));
    }

    @Test
    void mistakesAreReportedWithTheirPathAndLine() throws IOException {
        String broken = """
                apiVersion: wardfleet.org/policy/v1
                kind: Policy
                name: broken-policy
                settings:
                  passcode:
                    minLength: 2
                    complexity: very-strong
                  storage:
                    encryptionRequird: true
                  os:
                    minVersion:
                      android: thirteen
                """;
        assertThatThrownBy(() -> schema.parse(broken)).isInstanceOfSatisfying(PolicySchema.Invalid.class, e -> {
            assertThat(e.problems()).extracting(PolicySchema.Problem::path, PolicySchema.Problem::line)
                    .contains(org.assertj.core.groups.Tuple.tuple("settings.passcode.minLength", 6),
                            org.assertj.core.groups.Tuple.tuple("settings.passcode.complexity", 7),
                            org.assertj.core.groups.Tuple.tuple("settings.storage.encryptionRequird", 9),
                            org.assertj.core.groups.Tuple.tuple("settings.os.minVersion.android", 12));
            assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).isNotBlank());
        });
    }

    @Test
    void unreadableYamlAndDuplicateKeysAreRefusedWithALine() {
        assertThatThrownBy(() -> schema.parse("name: a\nsettings: [unclosed\n"))
                .isInstanceOfSatisfying(PolicySchema.Invalid.class,
                        e -> assertThat(e.problems().get(0).line()).isNotNull());
        assertThatThrownBy(() -> schema.parse("""
                apiVersion: wardfleet.org/policy/v1
                kind: Policy
                name: dup
                settings: {}
                name: dup-again
                """)).isInstanceOfSatisfying(PolicySchema.Invalid.class,
                        e -> assertThat(e.problems().get(0).line()).isEqualTo(5));
    }

    @Test
    void settingsComeBackFlatInSchemaOrder() throws Exception {
        PolicyDocument doc = schema.parse("""
                {"apiVersion": "wardfleet.org/policy/v1", "kind": "Policy", "name": "json-too",
                 "settings": {"checkIn": {"intervalMinutes": 30}, "passcode": {"required": true}}}
                """);
        assertThat(doc.settings()).containsExactly(java.util.Map.entry("passcode.required", true),
                java.util.Map.entry("checkIn.intervalMinutes", 30));
    }
}
