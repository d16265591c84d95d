package org.wardfleet.sdk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;
import javax.net.ssl.SSLContext;

import com.nimbusds.jose.jwk.OctetSequenceKey;

import tools.jackson.databind.JsonNode;

/**
 * Authenticated device calls. With {@code mutualTls} the TLS client certificate authenticates; otherwise every
 * request carries a fresh {@link DeviceJwt}. Actions are executed once per id (a repeated hand-over after a lost
 * acknowledgement is acknowledged again, not executed again).
 */
public final class DeviceClient {

    private final Http http;
    private final DeviceJwt jwt;
    private final boolean mutualTls;
    private final Map<String, Boolean> handled = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong fallbackFetches = new java.util.concurrent.atomic.AtomicLong();

    private DeviceClient(Http http, DeviceJwt jwt, boolean mutualTls) {
        this.http = http;
        this.jwt = jwt;
        this.mutualTls = mutualTls;
    }

    /** Device-JWT authentication; {@code publicUrl} is the server's public URL (the token audience). */
    public static DeviceClient withDeviceJwt(String serverUrl, String publicUrl, EnrolledDevice device,
            SSLContext serverTrust, Clock clock) {
        return new DeviceClient(new Http(serverUrl, serverTrust),
                new DeviceJwt(device.deviceId(), publicUrl, device.keys(), clock), false);
    }

    /** Mutual-TLS authentication with the enrolled certificate. */
    public static DeviceClient withMutualTls(String serverUrl, SSLContext mutualTlsContext) {
        return new DeviceClient(new Http(serverUrl, mutualTlsContext), null, true);
    }

    public record Inventory(String osVersion, String securityPatchLevel, String appVersion, String model,
            String pushToken) {
    }

    public record PendingAction(String id, String type) {
    }

    public record CheckIn(String deviceId, String state, List<PendingAction> pendingActions) {
    }

    public CheckIn checkIn(Inventory inventory) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("osVersion", inventory.osVersion());
        body.put("securityPatchLevel", inventory.securityPatchLevel());
        body.put("appVersion", inventory.appVersion());
        body.put("model", inventory.model());
        body.put("pushToken", inventory.pushToken());
        body.values().removeIf(v -> v == null);
        JsonNode answer = http.postJson("/device/v1/checkin", body, auth("POST", "/device/v1/checkin"));
        List<PendingAction> actions = new ArrayList<>();
        answer.path("pendingActions").forEach(a -> actions.add(new PendingAction(a.path("id").asString(),
                a.path("type").asString())));
        return new CheckIn(answer.path("deviceId").asString(), answer.path("state").asString(), actions);
    }

    /** Reports an action's result; returns the state the server recorded. */
    public String acknowledge(String actionId, boolean done, String message) {
        String path = "/device/v1/actions/" + actionId + "/result";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", done ? "DONE" : "FAILED");
        if (message != null) {
            body.put("message", message);
        }
        return http.postJson(path, body, auth("POST", path)).path("state").asString();
    }

    /**
     * Check in, execute each new action once with {@code handler}, acknowledge each; returns what was executed. Call
     * it at the regular check-in and whenever the stream or an FCM data message says {@code sync} with reason
     * {@code action}: the server wakes the device as soon as IT asks for a lock, wipe or retire.
     * <p>
     * A check-in refused with {@code device-retired} is itself the RETIRE command (the server answered, over the TLS
     * channel the app trusts, a request this device signed): {@code handler} runs {@code RETIRE} once (action id
     * {@value #RETIRED}) so the app removes work data; there is nothing to acknowledge, the credential is gone.
     */
    public List<PendingAction> checkInAndAct(Inventory inventory, ActionHandler handler) {
        CheckIn checkIn;
        try {
            checkIn = checkIn(inventory);
        } catch (WardfleetProblemException refused) {
            if (!WardfleetProblemException.DEVICE_RETIRED.equals(refused.type())) {
                throw refused;
            }
            return retired(handler);
        }
        List<PendingAction> executed = new ArrayList<>();
        for (PendingAction action : checkIn.pendingActions()) {
            if (handled.containsKey(action.id())) {
                acknowledge(action.id(), handled.get(action.id()), "already handled");
                continue;
            }
            boolean done;
            String message = null;
            try {
                handler.execute(action.id(), action.type());
                done = true;
                executed.add(action);
            } catch (Exception e) {
                done = false;
                message = e.getMessage();
            }
            handled.put(action.id(), done);
            acknowledge(action.id(), done, message);
        }
        return executed;
    }

    /** The id under which a retirement learned from a refusal is handed to the {@link ActionHandler}. */
    public static final String RETIRED = "retired";

    private List<PendingAction> retired(ActionHandler handler) {
        if (Boolean.TRUE.equals(handled.get(RETIRED))) {
            return List.of();
        }
        PendingAction retire = new PendingAction(RETIRED, "RETIRE");
        try {
            handler.execute(retire.id(), retire.type());
        } catch (Exception e) {
            // not marked handled: the next check-in is refused the same way and tries again
            throw new IllegalStateException("The device is retired, and removing work data failed", e);
        }
        handled.put(RETIRED, true);
        return List.of(retire);
    }

    /** Renewal with the current credential and a new key; returns the new chain (leaf first). */
    public List<java.security.cert.X509Certificate> renew(DeviceKeyStore newKeys) {
        JsonNode answer = http.postJson("/device/v1/renew", Map.of("csr", Csr.of(newKeys).pem()),
                auth("POST", "/device/v1/renew"));
        return Certificates.fromPem(answer.path("certificateChain").asString());
    }

    /** The device's effective policy as the server signed it (compact JWS); check it with {@link PolicyVerifier}. */
    public String fetchPolicy() {
        return http.get("/device/v1/policy", auth("GET", "/device/v1/policy"));
    }

    /** The organisation's policy-signing keys (JWKS JSON), fetched over this authenticated channel. */
    public String policyKeys() {
        return http.get("/device/v1/policy/jwks", auth("GET", "/device/v1/policy/jwks"));
    }

    /** One setting's outcome on the device: {@code APPLIED}, {@code FAILED} (with a reason) or {@code NOT_SUPPORTED}. */
    public record SettingResult(String setting, String status, String reason) {
    }

    /** Reports what the device did with policy {@code version}; true when that is still the current version. */
    public boolean reportPolicy(String version, List<SettingResult> results) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("results", results);
        return http.postJson("/device/v1/policy/status", body, auth("POST", "/device/v1/policy/status"))
                .path("current").asBoolean();
    }

    /**
     * Opens the device stream ({@code /device/v1/stream}); {@code onEvent} gets each JSON event text
     * ({@code hello}, {@code ping}, {@code sync}). Close the returned stream to disconnect.
     */
    public DeviceStream openStream(java.util.function.Consumer<String> onEvent) {
        return DeviceStream.open(http, auth("GET", DeviceStream.PATH), onEvent);
    }

    /**
     * The device stream, kept open: reconnected with back-off and jitter whenever it drops, moved to another instance
     * when the one holding it shuts down (a {@code reconnect} event), and {@link ReconnectingStream.Listener#connected}
     * after every connection so the app subscribes and fetches what it missed. Close it to disconnect for good.
     */
    public ReconnectingStream keepStreamOpen(ReconnectingStream.Listener listener) {
        return keepStreamOpen(listener, ReconnectingStream.Backoff.DEFAULT);
    }

    /** As {@link #keepStreamOpen(ReconnectingStream.Listener)} with a back-off of the app's choosing. */
    public ReconnectingStream keepStreamOpen(ReconnectingStream.Listener listener, ReconnectingStream.Backoff backoff) {
        // a fresh device token for every attempt: a reconnection minutes later must not reuse an expired one
        return ReconnectingStream.start(onEvent -> DeviceStream.connect(http, auth("GET", DeviceStream.PATH), onEvent),
                listener, backoff);
    }

    /** A single-use nonce for the next posture report (valid 5 minutes). */
    public String attestationChallenge() {
        return http.postJson("/device/v1/attestation/challenge", Map.of(),
                auth("POST", "/device/v1/attestation/challenge")).path("nonce").asString();
    }

    /** The server's verdict on a posture report. */
    public record ComplianceResult(String state, List<String> reasonCodes, String evidenceStrength) {
    }

    /**
     * Signs {@code posture} (the fixed report fields: nonce, osVersion, securityPatchLevel, encrypted, passcodeSet,
     * passcodeQuality, rooted, developerOptions, unknownSources, installedManagedApps, policyVersion) with the
     * device key and sends it, with an Android key-attestation chain (base64 DER, leaf first; its challenge must be
     * the nonce's UTF-8 bytes) when the platform can produce one.
     */
    public ComplianceResult reportPosture(DeviceKeyStore keys, Map<String, Object> posture,
            List<String> androidKeyChain) {
        String report;
        try {
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                    new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                            .type(new com.nimbusds.jose.JOSEObjectType("wf-posture+jwt")).build(),
                    new com.nimbusds.jose.Payload(posture));
            jws.sign(new DeviceJwt.KeyStoreSigner(keys));
            report = jws.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("Cannot sign the posture report", e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("report", report);
        if (androidKeyChain != null && !androidKeyChain.isEmpty()) {
            body.put("evidence", Map.of("androidKeyChain", androidKeyChain));
        }
        JsonNode answer = http.postJson("/device/v1/attestation", body, auth("POST", "/device/v1/attestation"));
        List<String> codes = new ArrayList<>();
        answer.path("reasons").forEach(r -> codes.add(r.path("code").asString()));
        return new ComplianceResult(answer.path("state").asString(), codes,
                answer.path("evidence").path("strength").asString(null));
    }

    /** A message as the device decrypted it. */
    public record ReceivedMessage(String id, String conversationId, String senderId, String text, String priority,
            boolean requiresAck, String patientRef, String sentAt) {
    }

    /**
     * @param purge ids the app must delete from its own storage (recalled, or past retention)
     * @param cursor where the next fetch continues: keep it across restarts so nothing is fetched twice
     * @param blocked the device may not receive messages now (non-compliant, quarantined)
     */
    public record Inbox(List<ReceivedMessage> messages, List<String> purge, String cursor, boolean blocked) {
    }

    /**
     * The device's message key: an AES-256 key under which the server wraps each message (A256KW/A256GCM) instead of
     * an elliptic-curve key agreement per message. Keep it in the platform's key store (Android Keystore, iOS
     * Keychain); {@code kid} names it in each message's header.
     */
    public record MessageKey(String kid, SecretKey key) {
    }

    /**
     * Asks for a new message key (replacing any earlier one, e.g. after a reinstall) and confirms to the server that
     * this device has it: the server sends it encrypted to the enrolled key, so this is the one key agreement, and
     * uses it only once confirmed — until then messages come under the previous key (or to the enrolled key). If this
     * throws, keep the key you had: the new one is not in use (or, if only the confirmation's answer was lost, pushed
     * copies you cannot open fall back to a fetch, see {@link #receivePushed}).
     */
    public MessageKey requestMessageKey(DeviceKeyStore keys) {
        JsonNode answer = http.postJson("/device/v1/message-key", Map.of(), auth("POST", "/device/v1/message-key"));
        MessageKey key;
        try {
            OctetSequenceKey jwk = OctetSequenceKey.parse(keys.decrypt(answer.path("jwe").asString()));
            if (!answer.path("kid").asString().equals(jwk.getKeyID()) || jwk.size() != 256) {
                throw new IllegalStateException("The server's message key does not match its answer");
            }
            key = new MessageKey(jwk.getKeyID(), jwk.toSecretKey("AES"));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("Unreadable message key", e);
        }
        confirmMessageKey(key);
        return key;
    }

    /** Confirming is idempotent: a failed attempt (a network error, a 5xx) is tried again, up to three times. */
    private void confirmMessageKey(MessageKey key) {
        String path = "/device/v1/message-key/confirm";
        for (int attempt = 1;; attempt++) {
            try {
                http.postJson(path, Map.of("kid", key.kid()), auth("POST", path));
                return;
            } catch (WardfleetProblemException e) {
                if (e.status() < 500 || attempt == 3) {
                    throw e;
                }
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Fetches and decrypts the messages after {@code cursor} ("0" the first time); they become DELIVERED. */
    public Inbox fetchMessages(DeviceKeyStore keys, String cursor) {
        return fetchMessages(keys, null, cursor);
    }

    /**
     * As {@link #fetchMessages(DeviceKeyStore, String)}, for a device holding a message key ({@code null}: none).
     * The fetch names the key held, so a device whose key was replaced elsewhere (or never confirmed) gets its
     * messages encrypted to its enrolled key instead: it can always read them (then ask for a new key).
     */
    public Inbox fetchMessages(DeviceKeyStore keys, MessageKey messageKey, String cursor) {
        // naming the key held: if the server's key in use is another one, it answers to the enrolled key instead
        return MessageReader.inbox(keys, messageKey, MessageReader.JSON.readTree(http.get("/device/v1/messages?after="
                + cursor + "&kid=" + held(messageKey), auth("GET", "/device/v1/messages"))));
    }

    /** The {@code kid} a fetch names: the message key held, or {@code none}. */
    static String held(MessageKey messageKey) {
        return messageKey == null ? "none" : messageKey.kid();
    }

    /**
     * The inbox in a {@code messages} event that answered {@link DeviceStream#requestMessages} (the messages are
     * DELIVERED already, as after an HTTP fetch). An {@code error} event fails with an {@link IllegalStateException}
     * naming its problem type: fetch over HTTP instead.
     */
    public Inbox readInbox(DeviceKeyStore keys, MessageKey messageKey, String event) {
        JsonNode answer = MessageReader.JSON.readTree(event);
        if (!"messages".equals(answer.path("type").asString())) {
            throw new IllegalStateException("Not a messages event: " + answer.path("type").asString() + " "
                    + answer.path("problem").asString(""));
        }
        return MessageReader.inbox(keys, messageKey, answer);
    }

    /**
     * Messages the server pushed on a stream subscribed with {@link DeviceStream#subscribeMessages}, decrypted, with
     * the receipt token each one carried inside its ciphertext (message id → token). Show them, then send the
     * receipts back with {@link DeviceStream#confirmDelivered}: only that makes them DELIVERED — until then the
     * sender sees SENT and escalation goes on.
     */
    public record Pushed(List<ReceivedMessage> messages, Map<String, String> receipts) {
    }

    /**
     * Reads a {@code deliver} event (see {@link DeviceStream#subscribeMessages}). A message the device cannot decrypt
     * (a message key it no longer holds) fails with an {@link IllegalStateException}: request a new message key and
     * fetch instead, which delivers the same messages.
     */
    public Pushed readPushed(MessageKey messageKey, String event) {
        MessageReader.Opened opened = MessageReader.pushed(messageKey, event);
        if (!opened.unopened().isEmpty()) {
            throw new IllegalStateException("A pushed message is under a message key this device does not hold: "
                    + "fetch it instead (see receivePushed)");
        }
        return opened.pushed();
    }

    /**
     * What a {@code deliver} event brought: the pushed copies that opened (send their receipts back with
     * {@link DeviceStream#confirmDelivered}) and, when a copy did not open, the inbox fetched instead ({@code null}
     * otherwise; its messages are DELIVERED already — keep its cursor).
     */
    public record Received(Pushed pushed, Inbox fetched) {

        /** Every message the event brought, whichever way it was read (a message may be in both: keep by id). */
        public List<ReceivedMessage> messages() {
            List<ReceivedMessage> all = new ArrayList<>(pushed.messages());
            if (fetched != null) {
                all.addAll(fetched.messages());
            }
            return all;
        }
    }

    /**
     * Reads a {@code deliver} event like {@link #readPushed}, but a copy this device cannot open (it is under a
     * message key the device does not hold: its key was replaced elsewhere, or a confirmation's answer was lost) is
     * not an error: the device fetches over HTTP from {@code cursor}, naming the key it holds, and gets its messages
     * encrypted to its enrolled key. Each such fallback is counted ({@link #fallbackFetches}).
     */
    public Received receivePushed(DeviceKeyStore keys, MessageKey messageKey, String event, String cursor) {
        MessageReader.Opened opened = MessageReader.pushed(messageKey, event);
        if (opened.unopened().isEmpty()) {
            return new Received(opened.pushed(), null);
        }
        fallbackFetches.incrementAndGet();
        return new Received(opened.pushed(), fetchMessages(keys, messageKey, cursor));
    }

    /** How many pushed copies this client could not open and fetched instead. */
    public long fallbackFetches() {
        return fallbackFetches.get();
    }

    /**
     * Replies in a conversation as the device's clinician. {@code idempotencyKey}: generate one per message the user
     * sends and reuse it when retrying, so a flaky network never sends (or pages) twice. Returns the message id.
     */
    public String send(String conversationId, String text, String priority, boolean requiresAck, String replyTo,
            String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("priority", priority);
        body.put("requiresAck", requiresAck);
        if (replyTo != null) {
            body.put("replyTo", replyTo);
        }
        String path = "/device/v1/conversations/" + conversationId + "/messages";
        Map<String, String> headers = new LinkedHashMap<>(auth("POST", path));
        headers.put("Idempotency-Key", idempotencyKey);
        return http.postJson(path, body, headers).path("id").asString();
    }

    /** READ, ACKNOWLEDGED or DECLINED (with a reason such as "in theatre"). */
    public void receipt(String messageId, String state, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        if (reason != null) {
            body.put("reason", reason);
        }
        String path = "/device/v1/messages/" + messageId + "/receipts";
        http.postJson(path, body, auth("POST", path));
    }

    Set<String> handledActionIds() {
        return handled.keySet();
    }

    private Map<String, String> auth(String method, String path) {
        return mutualTls ? Map.of() : Map.of("Authorization", "Device " + jwt.forRequest(method, path));
    }
}
