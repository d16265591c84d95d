package org.wardfleet.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What the data key promises: sealed values open only with that key, for that purpose and that record. */
class SealerTests {

    static final DataKey KEY = new DataKey("a-data-key-of-at-least-32-characters-0001");

    @Test
    void aSealedValueOpensForItsPurposeAndRecordOnly() {
        Sealer tokens = KEY.sealer("token-signing-keys");
        String sealed = tokens.seal("{\"d\":\"secret\"}", "kid-1");

        assertThat(sealed).startsWith("wfsealed.v1.").doesNotContain("secret");
        assertThat(Sealer.isSealed(sealed)).isTrue();
        assertThat(tokens.open(sealed, "kid-1")).isEqualTo("{\"d\":\"secret\"}");
        assertThat(tokens.seal("{\"d\":\"secret\"}", "kid-1")).as("a fresh IV each time").isNotEqualTo(sealed);
        assertThatThrownBy(() -> tokens.open(sealed, "kid-2")).hasMessageContaining("moved from another record");
        assertThatThrownBy(() -> KEY.sealer("policy-signing-keys").open(sealed, "kid-1"))
                .as("another purpose derives another key").hasMessageContaining("another data key");
    }

    @Test
    void anotherDataKeySaysSoInsteadOfFailingObscurely() {
        String sealed = KEY.sealer("token-signing-keys").seal("x", "kid-1");
        assertThatThrownBy(() -> new DataKey("another-data-key-of-at-least-32-characters").sealer("token-signing-keys")
                .open(sealed, "kid-1")).hasMessageContaining("sealed with another data key");
    }

    @Test
    void aClearValueIsNotMistakenForASealedOne() {
        assertThat(Sealer.isSealed("{\"kty\":\"EC\",\"d\":\"...\"}")).isFalse();
        assertThatThrownBy(() -> KEY.sealer("token-signing-keys").open("{\"kty\":\"EC\"}", "kid-1"))
                .hasMessageContaining("not sealed");
    }
}
