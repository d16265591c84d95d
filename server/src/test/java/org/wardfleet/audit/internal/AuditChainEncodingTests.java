package org.wardfleet.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.wardfleet.audit.AuditEntry;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The canonical form is valid JSON whatever the values hold, and any change to an entry changes its hash. */
class AuditChainEncodingTests {

    static AuditEntry entry(String target, Map<String, String> details) {
        return new AuditEntry(7, Instant.parse("2026-11-24T10:00:00.123Z"), "user", "u-1", "user.create", target,
                "SUCCESS", details, "req-1", "10.0.0.1", AuditChain.GENESIS, null);
    }

    @Test
    void hostileValuesStayInsideTheirJsonStrings() {
        AuditEntry e = entry("a\"b\\c\nd\u0001", Map.of("z", "\"}", "a", "x"));
        JsonNode json = JsonMapper.builder().build().readTree(AuditChain.canonical(e));
        assertThat(json.path("target").asString()).isEqualTo("a\"b\\c\nd\u0001");
        assertThat(json.path("details").path("z").asString()).isEqualTo("\"}");
        assertThat(json.path("seq").asLong()).isEqualTo(7);
        assertThat(AuditChain.canonical(e)).contains("\"details\":{\"a\":\"x\",\"z\"");
    }

    @Test
    void everyFieldIsCoveredByTheHash() {
        String base = AuditChain.hash(entry("t", Map.of("k", "v")));
        assertThat(AuditChain.hash(entry("t2", Map.of("k", "v")))).isNotEqualTo(base);
        assertThat(AuditChain.hash(entry("t", Map.of("k", "v2")))).isNotEqualTo(base);
        assertThat(AuditChain.hash(entry("t", Map.of("k", "v")))).isEqualTo(base);
        assertThat(base).hasSize(64);
    }
}
