package org.wardfleet.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.AESDecrypter;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Decrypts what the server sends a device: inboxes (fetch answers) and pushed {@code deliver} events. */
final class MessageReader {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private MessageReader() {
    }

    static DeviceClient.Inbox inbox(DeviceKeyStore keys, DeviceClient.MessageKey messageKey, JsonNode answer) {
        List<DeviceClient.ReceivedMessage> messages = new ArrayList<>();
        List<String> purge = new ArrayList<>();
        for (JsonNode m : answer.path("messages")) {
            if (m.path("purge").asBoolean(false)) {
                purge.add(m.path("id").asString());
                continue;
            }
            messages.add(received(JSON.readTree(open(keys, messageKey, m.path("jwe").asString()))));
        }
        return new DeviceClient.Inbox(messages, purge, answer.path("cursor").asString(),
                answer.path("blocked").asBoolean());
    }

    /** A deliver event's copies that open under {@code messageKey}, and the ids of those that do not. */
    record Opened(DeviceClient.Pushed pushed, List<String> unopened) {
    }

    static Opened pushed(DeviceClient.MessageKey messageKey, String event) {
        JsonNode answer = JSON.readTree(event);
        if (!"deliver".equals(answer.path("type").asString())) {
            throw new IllegalStateException("Not a deliver event: " + answer.path("type").asString());
        }
        List<DeviceClient.ReceivedMessage> messages = new ArrayList<>();
        Map<String, String> receipts = new LinkedHashMap<>();
        List<String> unopened = new ArrayList<>();
        for (JsonNode m : answer.path("messages")) {
            JsonNode c;
            try {
                c = JSON.readTree(open(null, messageKey, m.path("jwe").asString()));
            } catch (IllegalStateException notForThisKey) {
                unopened.add(m.path("id").asString());
                continue;
            }
            if (!c.path("id").asString().equals(m.path("id").asString())) {
                throw new IllegalStateException("A pushed message's id does not match its content");
            }
            messages.add(received(c));
            receipts.put(c.path("id").asString(), c.path("receipt").asString());
        }
        return new Opened(new DeviceClient.Pushed(messages, receipts), unopened);
    }

    private static DeviceClient.ReceivedMessage received(JsonNode c) {
        return new DeviceClient.ReceivedMessage(c.path("id").asString(), c.path("conversationId").asString(),
                c.path("senderId").asString(), c.path("text").asString(), c.path("priority").asString(),
                c.path("requiresAck").asBoolean(), c.path("patientRef").asString(null), c.path("sentAt").asString());
    }

    private static String open(DeviceKeyStore keys, DeviceClient.MessageKey messageKey, String compact) {
        try {
            JWEObject jwe = JWEObject.parse(compact);
            if (!JWEAlgorithm.A256KW.equals(jwe.getHeader().getAlgorithm())) {
                if (keys == null) {
                    throw new IllegalStateException("Pushed messages come under the message key only");
                }
                return keys.decrypt(compact);
            }
            if (messageKey == null || !messageKey.kid().equals(jwe.getHeader().getKeyID())) {
                throw new IllegalStateException("A message under message key " + jwe.getHeader().getKeyID()
                        + ", which this device does not hold: request a new message key and fetch again");
            }
            jwe.decrypt(new AESDecrypter(messageKey.key()));
            return jwe.getPayload().toString();
        } catch (java.text.ParseException | JOSEException e) {
            throw new IllegalStateException("A message did not decrypt", e);
        }
    }
}
