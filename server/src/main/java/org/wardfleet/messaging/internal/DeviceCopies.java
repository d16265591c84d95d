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
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256GCM)
                .keyID(key.kid()).build(), new Payload(content));
        jwe.encrypt(new AESEncrypter(key.key()));
        return jwe.serialize();
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
