package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.wardfleet.messaging.Priority;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.util.JSONObjectUtils;

/** A pushed copy's content is serialised once per message; every device still opens its own receipt in it. */
class DeviceCopiesTests {

    /** A drill broadcast with choices and a text that needs escaping, as a device's app shows it. */
    private static Map<String, Object> content() {
        Message broadcast = new Message("m-1", "o-1", "c-1", "u-1", "key-1", "sealed", Priority.STAT, true, null, null,
                Instant.parse("2026-12-08T00:00:00Z"), null, null, Map.of(), true,
                List.of("available", "not available"));
        return DeviceCopies.content(broadcast, "Code \"blue\", ward 7 — are you available?\n\\ ünïcode");
    }

    @Test
    void aDeviceOpensTheSameContentWithItsOwnReceiptLast() throws Exception {
        DeviceCopies.Receipted once = new DeviceCopies.Receipted(content());
        byte[] raw = new byte[32];
        raw[0] = 7;
        MessageKeys.MessageKey key = new MessageKeys.MessageKey("kid-1", new SecretKeySpec(raw, "AES"));

        for (String receipt : List.of("AAECAwQFBgcICQoLDA0ODw", "-_zz09")) {
            JWEObject jwe = JWEObject.parse(DeviceCopies.encryptWith(key, once.with(receipt)));
            jwe.decrypt(new AESDecrypter(raw));

            Map<String, Object> expected = new LinkedHashMap<>(content());
            expected.put("receipt", receipt);
            Map<String, Object> opened = JSONObjectUtils.parse(jwe.getPayload().toString());
            assertThat(opened).isEqualTo(expected);
            assertThat(List.copyOf(opened.keySet())).containsExactlyElementsOf(expected.keySet());
            assertThat(jwe.getHeader().getKeyID()).isEqualTo("kid-1");
        }
    }

    @Test
    void aReceiptThatWouldNeedEscapingIsRefused() {
        DeviceCopies.Receipted once = new DeviceCopies.Receipted(content());
        assertThatThrownBy(() -> once.with("a\",\"text\":\"x")).isInstanceOf(IllegalArgumentException.class);
    }
}
