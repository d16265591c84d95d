package org.wardfleet.push.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.wardfleet.push.DeviceWake.WakeTarget;

import com.google.api.client.http.HttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.SendResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * FCM HTTP v1 through the Firebase Admin SDK: data-only wake-ups (no content: a type and a reason word), high
 * priority on Android with a collapse key so a burst of changes wakes a phone once, and a silent background push on
 * iOS (APNs requires priority 5 for those). The SDK blocks, so sends run on the bounded-elastic scheduler, in batches
 * of {@link #BATCH}. Dead tokens are reported for removal; quota and availability errors are retried with back-off.
 */
@Component
class FcmSender implements DisposableBean, org.wardfleet.push.FcmStatus {

    static final int BATCH = 500;
    static final String COLLAPSE_KEY = "wf-sync";
    /** Wake-up reasons each of which must reach the device on its own. */
    static final Set<String> NEVER_COLLAPSED = Set.of("message", ActionWakeUps.REASON);
    private static final Logger log = LoggerFactory.getLogger(FcmSender.class);

    private final FirebaseApp app;
    private final FirebaseMessaging messaging;
    private final PushProperties properties;

    FcmSender(PushProperties properties, @Qualifier("fcmHttpTransport") ObjectProvider<HttpTransport> transport) {
        this.properties = properties;
        if (properties.fcmServiceAccountFile() == null) {
            log.warn("FCM is off (wardfleet.push.fcm-service-account-file is not set): devices are reached over "
                    + "their stream when connected, otherwise at their next check-in");
            this.app = null;
            this.messaging = null;
            return;
        }
        try (InputStream in = Files.newInputStream(properties.fcmServiceAccountFile())) {
            FirebaseOptions.Builder options = FirebaseOptions.builder()
                    .setCredentials(GoogleCredentials.fromStream(in));
            if (properties.fcmProjectId() != null) {
                options.setProjectId(properties.fcmProjectId());
            }
            transport.ifAvailable(options::setHttpTransport);
            // a unique name: several application contexts (tests, restarts in one JVM) must not share one app
            this.app = FirebaseApp.initializeApp(options.build(), "wardfleet-" + UUID.randomUUID());
            this.messaging = FirebaseMessaging.getInstance(app);
            log.info("FCM is on (project {})", app.getOptions().getProjectId());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the FCM service account "
                    + properties.fcmServiceAccountFile(), e);
        }
    }

    boolean enabled() {
        return messaging != null;
    }

    @Override
    public boolean configured() {
        return enabled();
    }

    @Override
    public String projectId() {
        return app == null ? null : app.getOptions().getProjectId();
    }

    /**
     * @param accepted devices with at least one token FCM accepted
     * @param failed device → reason, for devices none of whose tokens worked
     * @param deadTokens device → tokens FCM says no longer exist
     */
    record Outcome(Set<String> accepted, Map<String, String> failed, Map<String, List<String>> deadTokens) {
    }

    private record Attempt(String deviceId, String token, Message message) {
    }

    Mono<Outcome> send(List<WakeTarget> targets, String reason, boolean urgent) {
        Outcome outcome = new Outcome(new LinkedHashSet<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        List<Attempt> attempts = new ArrayList<>();
        for (WakeTarget t : targets) {
            if (!enabled()) {
                outcome.failed().put(t.deviceId(), "fcm-off");
            } else if (t.pushTokens().isEmpty()) {
                outcome.failed().put(t.deviceId(), "no-push-token");
            } else {
                t.pushTokens().forEach(token -> attempts.add(new Attempt(t.deviceId(), token, message(token, reason, urgent))));
            }
        }
        return Flux.fromIterable(attempts).buffer(BATCH)
                .concatMap(batch -> sendWithRetries(batch, outcome, 1))
                .then(Mono.fromSupplier(() -> {
                    // a device is failed only when no token of it worked
                    outcome.failed().keySet().removeAll(outcome.accepted());
                    return outcome;
                }));
    }

    private Mono<Void> sendWithRetries(List<Attempt> batch, Outcome outcome, int attempt) {
        return Mono.fromCallable(() -> java.util.Optional.of(sendEach(batch)))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(e -> {
                    // the whole request failed (network, credentials): retry the batch, then give up on it
                    log.warn("FCM send of {} message(s) failed (attempt {}): {}", batch.size(), attempt, e.toString());
                    return Mono.just(java.util.Optional.empty());
                })
                .flatMap(sent -> {
                    if (sent.isEmpty()) {
                        if (attempt < properties.fcmAttempts()) {
                            return Mono.delay(properties.fcmBackoff().multipliedBy(1L << (attempt - 1)))
                                    .then(sendWithRetries(batch, outcome, attempt + 1));
                        }
                        batch.forEach(a -> outcome.failed().putIfAbsent(a.deviceId(), "fcm-unreachable"));
                        return Mono.<Void>empty();
                    }
                    List<SendResponse> responses = sent.get();
                    List<Attempt> retry = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        Attempt a = batch.get(i);
                        SendResponse r = responses.get(i);
                        if (r.isSuccessful()) {
                            outcome.accepted().add(a.deviceId());
                            continue;
                        }
                        MessagingErrorCode code = r.getException() == null ? null
                                : r.getException().getMessagingErrorCode();
                        if (code == MessagingErrorCode.UNREGISTERED || code == MessagingErrorCode.SENDER_ID_MISMATCH) {
                            outcome.deadTokens().computeIfAbsent(a.deviceId(), k -> new ArrayList<>()).add(a.token());
                            outcome.failed().putIfAbsent(a.deviceId(), "token-unregistered");
                        } else if (retryable(code) && attempt < properties.fcmAttempts()) {
                            retry.add(a);
                        } else {
                            outcome.failed().put(a.deviceId(), "fcm-" + (code == null ? "error" : code.name()
                                    .toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
                        }
                    }
                    if (retry.isEmpty()) {
                        return Mono.<Void>empty();
                    }
                    long backoff = properties.fcmBackoff().toMillis() << (attempt - 1);
                    return Mono.delay(java.time.Duration.ofMillis(backoff))
                            .then(sendWithRetries(retry, outcome, attempt + 1));
                });
    }

    private List<SendResponse> sendEach(List<Attempt> batch) throws FirebaseMessagingException {
        BatchResponse response = messaging.sendEach(batch.stream().map(Attempt::message).toList());
        return response.getResponses();
    }

    private static boolean retryable(MessagingErrorCode code) {
        return code == null || code == MessagingErrorCode.QUOTA_EXCEEDED || code == MessagingErrorCode.UNAVAILABLE
                || code == MessagingErrorCode.INTERNAL;
    }

    private Message message(String token, String reason, boolean urgent) {
        return Message.builder().setToken(token)
                .putData("type", "sync").putData("reason", reason)
                .setAndroidConfig(AndroidConfig.builder()
                        .setPriority(urgent ? AndroidConfig.Priority.HIGH : AndroidConfig.Priority.NORMAL)
                        // urgent pages and remote actions are never collapsed behind other traffic (a later
                        // policy hint would replace an undelivered lock); sync hints (policy) may be
                        .setCollapseKey(urgent && NEVER_COLLAPSED.contains(reason) ? null : COLLAPSE_KEY)
                        .setTtl(properties.fcmTtl().toMillis()).build())
                .setApnsConfig(ApnsConfig.builder()
                        .putHeader("apns-push-type", "background").putHeader("apns-priority", "5")
                        .setAps(Aps.builder().setContentAvailable(true).build()).build())
                .build();
    }

    @Override
    public void destroy() {
        if (app != null) {
            app.delete();
        }
    }
}
