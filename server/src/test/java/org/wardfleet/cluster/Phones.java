package org.wardfleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.wardfleet.sdk.DeviceClient;
import org.wardfleet.sdk.DeviceStream;
import org.wardfleet.sdk.EnrolledDevice;
import org.wardfleet.sdk.EnrollmentClient;
import org.wardfleet.sdk.MutualTls;
import org.wardfleet.sdk.ReconnectingStream;
import org.wardfleet.sdk.SoftwareKeyStore;

/**
 * Simulated phones behind the balancer, each one as the app would be written with the device SDK: enrolled for a
 * clinician (bound to them), mutual TLS end to end through HAProxy, its stream kept open by
 * {@link ReconnectingStream} (back-off with jitter, reconnect hints), and on every connection and every {@code sync}
 * a fetch of its inbox from its cursor. Each phone records when its streams opened and dropped, and every message id
 * it fetched (and how many times).
 */
final class Phones implements AutoCloseable {

    /** One clinician and the password to sign in as them. */
    record Clinician(String id, String token) {
    }

    static final class Phone {
        final String deviceId;
        final String userId;
        final SoftwareKeyStore keys;
        final DeviceClient client;
        final AtomicReference<String> cursor = new AtomicReference<>("0");
        final List<Instant> connected = new CopyOnWriteArrayList<>();
        final List<Instant> dropped = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        final AtomicInteger fetchFailures = new AtomicInteger();
        /** Message ids whose READ receipt the server answered 2xx (with {@link Phones#reading}). */
        final Set<String> read = ConcurrentHashMap.newKeySet();
        final Set<String> unread = ConcurrentHashMap.newKeySet();
        volatile ReconnectingStream stream;

        Phone(String deviceId, String userId, SoftwareKeyStore keys, DeviceClient client) {
            this.deviceId = deviceId;
            this.userId = userId;
            this.keys = keys;
            this.client = client;
        }

        /** When a stream opened after {@code t}, or null. */
        Instant connectedAfter(Instant t) {
            return connected.stream().filter(c -> c.isAfter(t)).findFirst().orElse(null);
        }

        Instant droppedAfter(Instant t) {
            return dropped.stream().filter(d -> d.isAfter(t)).findFirst().orElse(null);
        }
    }

    private final List<Phone> phones = new CopyOnWriteArrayList<>();
    /** Fetches run here, not on the WebSocket's thread. */
    private final ExecutorService fetches = Executors.newFixedThreadPool(8);
    /** Whether each phone sends a READ receipt for every message it fetched (the person opened it). */
    private volatile boolean reading;

    /** From now on every phone sends READ receipts for what it fetches. */
    void reading() {
        reading = true;
    }

    List<Phone> all() {
        return phones;
    }

    /** {@code count} phones spread over the clinicians, enrolled 4 at a time through the balancer. */
    static Phones enroll(Cluster cluster, HttpClient http, String admin, List<Clinician> clinicians, int count)
            throws Exception {
        Phones phones = new Phones();
        X509Certificate server = cluster.serverCertificate();
        ExecutorService enrolling = Executors.newFixedThreadPool(4);
        try {
            List<Future<Phone>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Clinician clinician = clinicians.get(i % clinicians.size());
                made.add(enrolling.submit(() -> {
                    // a handshake the loaded machine did not finish in time is tried again with a new invitation
                    for (int attempt = 1;; attempt++) {
                        try {
                            return enroll(cluster, http, admin, clinician, server);
                        } catch (java.io.UncheckedIOException e) {
                            if (attempt == 3) {
                                throw e;
                            }
                        }
                    }
                }));
            }
            for (Future<Phone> phone : made) {
                phones.phones.add(phone.get(Cluster.WAIT.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            enrolling.shutdownNow();
        }
        return phones;
    }

    private static Phone enroll(Cluster cluster, HttpClient http, String admin, Clinician clinician,
            X509Certificate server) throws Exception {
        String secret = cluster.json(cluster.send(http, "POST", "/api/v1/enrollment/invitations", admin,
                "{\"ownership\":\"COPE\",\"platform\":\"android\",\"assignedUserId\":\"" + clinician.id()
                        + "\"}", Map.of()), 201).path("secret").asString();
        SoftwareKeyStore keys = SoftwareKeyStore.generate();
        EnrolledDevice device = new EnrollmentClient(cluster.url(), MutualTls.trusting(server)).enroll(
                secret, keys, new EnrollmentClient.DeviceInfo("android", "Pixel 8", "15", "2026-10-05",
                        "1.0.0"), clinician.token());
        return new Phone(device.deviceId(), clinician.id(), keys, DeviceClient.withMutualTls(
                cluster.url(), MutualTls.context(keys, device.certificateChain(), server)));
    }

    /** Opens every phone's stream (kept open from now on). */
    void connect() {
        for (Phone phone : phones) {
            phone.stream = phone.client.keepStreamOpen(new ReconnectingStream.Listener() {
                @Override
                public void connected(DeviceStream stream) {
                    phone.connected.add(Instant.now());
                    stream.closed().whenComplete((done, error) -> phone.dropped.add(Instant.now()));
                    fetch(phone); // whatever arrived while it was away
                }

                @Override
                public void event(String event) {
                    if (event.contains("\"type\":\"sync\"")) {
                        fetch(phone);
                    }
                }
            });
        }
    }

    /** Phones with an open stream now. */
    long open() {
        return phones.stream().filter(p -> p.stream != null && p.stream.current() != null).count();
    }

    void fetch(Phone phone) {
        fetches.execute(() -> {
            // one fetch at a time per phone; a failed one (its instance died under it) is tried again, as an app would
            synchronized (phone) {
                for (int attempt = 0; attempt < 20; attempt++) {
                    try {
                        DeviceClient.Inbox inbox = phone.client.fetchMessages(phone.keys, phone.cursor.get());
                        inbox.messages().forEach(m -> phone.received.computeIfAbsent(m.id(),
                                id -> new AtomicInteger()).incrementAndGet());
                        phone.cursor.set(inbox.cursor());
                        if (reading) {
                            inbox.messages().forEach(m -> phone.unread.add(m.id()));
                        }
                        for (String id : List.copyOf(phone.unread)) {
                            // one that failed is sent again on the next attempt, as an app would
                            try {
                                phone.client.receipt(id, "READ", null);
                                phone.read.add(id);
                            } catch (org.wardfleet.sdk.WardfleetProblemException settled) {
                                if (!settled.is("receipt-invalid")) {
                                    throw settled;
                                }
                                // not a move forward: the person's receipt is READ already — another of their
                                // phones sent it, or this one's first answer was lost with an instance
                            }
                            phone.unread.remove(id);
                        }
                        return;
                    } catch (RuntimeException e) {
                        phone.fetchFailures.incrementAndGet();
                        try {
                            TimeUnit.MILLISECONDS.sleep(250L * (attempt + 1));
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        });
    }

    /** Message ids any phone fetched more than once (a duplicate delivery). */
    List<String> duplicates() {
        List<String> duplicates = new ArrayList<>();
        phones.forEach(p -> p.received.forEach((id, n) -> {
            if (n.get() > 1) {
                duplicates.add(p.deviceId + ":" + id + "x" + n.get());
            }
        }));
        return duplicates;
    }

    /** Clinicians made through the balancer, each signed in once. */
    static List<Clinician> clinicians(Cluster cluster, HttpClient http, String admin, int count) throws Exception {
        List<Clinician> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String email = "clinician-" + UUID.randomUUID() + "@hospital.test";
            String password = "a long passphrase " + i;
            String id = cluster.json(cluster.send(http, "POST", "/api/v1/users", admin, "{\"email\":\"" + email
                    + "\",\"displayName\":\"Dr " + i + "\",\"roles\":[\"CLINICIAN\"],\"password\":\"" + password
                    + "\"}", Map.of()), 201).path("id").asString();
            String token = cluster.json(cluster.send(http, "POST", "/api/v1/auth/token", null, "{\"email\":\""
                    + email + "\",\"password\":\"" + password + "\"}", Map.of()), 200).path("access_token")
                    .asString();
            made.add(new Clinician(id, token));
        }
        assertThat(made).hasSize(count);
        return made;
    }

    @Override
    public void close() {
        phones.forEach(p -> {
            if (p.stream != null) {
                p.stream.close();
            }
        });
        fetches.shutdownNow();
    }
}
