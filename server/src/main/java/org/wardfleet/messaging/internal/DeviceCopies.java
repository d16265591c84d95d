package org.wardfleet.messaging.internal;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceKeys;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.util.JSONObjectUtils;

/** A message as one device receives it: the content its app shows, as a JWE only that device opens. */
final class DeviceCopies {

    private DeviceCopies() {
    }

    /** What a device decrypts: the message as its app shows it. */
    static Map<String, Object> content(Message message, String text) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("id", message.id());
        content.put("conversationId", message.conversationId());
        content.put("senderId", message.senderId());
        content.put("text", text);
        content.put("priority", message.priority().name());
        content.put("requiresAck", message.requiresAck());
        content.put("sentAt", message.sentAt().toString());
        if (message.patientRef() != null) {
            content.put("patientRef", message.patientRef());
        }
        if (message.replyTo() != null) {
            content.put("replyTo", message.replyTo());
        }
        if (message.drill()) {
            content.put("drill", true); // shown as a drill on every device
        }
        if (!message.choices().isEmpty()) {
            content.put("choices", message.choices());
        }
        return content;
    }

    /** A256KW / A256GCM under the device's message key, named by its {@code kid}. */
    static String encryptWith(MessageKeys.MessageKey key, Map<String, Object> content) throws Exception {
        return encryptWith(key, new Payload(content));
    }

    /** As {@link #encryptWith(MessageKeys.MessageKey, Map)}, for content already serialised ({@link Receipted}). */
    static String encryptWith(MessageKeys.MessageKey key, String json) throws Exception {
        return encryptWith(key, new Payload(json));
    }

    private static String encryptWith(MessageKeys.MessageKey key, Payload payload) throws Exception {
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256GCM)
                .keyID(key.kid()).build(), payload);
        jwe.encrypt(new AESEncrypter(key.key()));
        return jwe.serialize();
    }

    /**
     * A pushed copy's content serialised once per message, for every device of a fan-out: each device's copy is the
     * same JSON object with its own {@code receipt} token added last — the object a per-device copy of the content map
     * with {@code receipt} put last serialised to, without copying and serialising the content again for every device.
     */
    static final class Receipted {

        /** The content's JSON object without its closing brace. */
        private final String open;

        Receipted(Map<String, Object> content) {
            String json = JSONObjectUtils.toJSONString(content);
            this.open = json.substring(0, json.length() - 1);
        }

        /** The content with {@code receipt} (a base64url receipt token: nothing in it needs escaping). */
        String with(String receipt) {
            for (int i = 0; i < receipt.length(); i++) {
                char c = receipt.charAt(i);
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    throw new IllegalArgumentException("A receipt token is base64url");
                }
            }
            return open + (open.length() > 1 ? "," : "") + "\"receipt\":\"" + receipt + "\"}";
        }
    }

    /** ECDH-ES+A256KW / A256GCM to the device's enrolled EC key (RSA-OAEP-256 for RSA keys). */
    static String encryptFor(Device device, Map<String, Object> content) throws Exception {
        return encryptFor(device, new Payload(content), null);
    }

    /** A payload as a JWE to the device's enrolled key ({@code contentType} optional, e.g. {@code jwk+json}). */
    static String encryptFor(Device device, Payload payload, String contentType) throws Exception {
        PublicKey key = DeviceKeys.parse(device.publicKey());
        boolean ec = key instanceof ECPublicKey;
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(ec ? JWEAlgorithm.ECDH_ES_A256KW : JWEAlgorithm.RSA_OAEP_256,
                EncryptionMethod.A256GCM).keyID(device.id()).contentType(contentType).build(), payload);
        jwe.encrypt(ec ? new ECDHEncrypter((ECPublicKey) key) : new RSAEncrypter((RSAPublicKey) key));
        return jwe.serialize();
    }
}
