package org.wardfleet.attestation.internal;

import static com.mongodb.client.model.Filters.eq;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.time.Job;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Google's attestation revocation status list ({@code {"entries": {"<hex serial>": {"status": ...}}}}), refreshed
 * periodically; the last good copy lives in MongoDB ({@code attestation_revocation_list}) so every instance, and a
 * restarted offline one, has it. How old it is decides whether Android evidence can be judged at all.
 */
@Component
class GoogleRevocationList implements Job {

    private static final Logger log = LoggerFactory.getLogger(GoogleRevocationList.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The live list is a few hundred KB; far more means something is wrong. */
    private static final int MAX_BYTES = 16 * 1024 * 1024;

    private final MongoCollection<Document> copies;
    private final AttestationProperties properties;
    private final Clock clock;
    private final WebClient http;
    private final AtomicReference<RevocationStatus> current = new AtomicReference<>(RevocationStatus.NONE);
    /** The stored copy is read once, before the first refresh. */
    private volatile boolean loaded;

    GoogleRevocationList(MongoDatabase db, AttestationProperties properties, Clock clock) {
        this.copies = db.getCollection("attestation_revocation_list");
        this.properties = properties;
        this.clock = clock;
        this.http = WebClient.builder().codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_BYTES)).build();
    }

    RevocationStatus current() {
        return current.get();
    }

    static RevocationStatus parse(InputStream json, Instant fetchedAt) throws IOException {
        JsonNode entries = JSON.readTree(json).path("entries");
        if (!entries.isObject()) {
            throw new IOException("No \"entries\" object in the revocation list");
        }
        Map<String, String> statuses = new HashMap<>();
        entries.properties().forEach(e -> statuses.put(e.getKey().toLowerCase(java.util.Locale.ROOT),
                e.getValue().path("status").asString("REVOKED")));
        return new RevocationStatus(statuses, fetchedAt);
    }

    /** Fetch now; on failure keep (and say) what we had. */
    Mono<RevocationStatus> refresh() {
        Instant now = clock.instant();
        return fetch()
                .map(text -> {
                    try {
                        return parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), now);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .flatMap(status -> store(status).thenReturn(status))
                .doOnNext(current::set)
                .onErrorResume(e -> {
                    log.warn("Attestation revocation list not refreshed (keeping the copy from {}): {}",
                            current.get().fetchedAt(), e.toString());
                    return Mono.just(current.get());
                });
    }

    private Mono<String> fetch() {
        String url = properties.revocationListUrl();
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return http.get().uri(url).retrieve().bodyToMono(String.class).timeout(Duration.ofSeconds(30));
        }
        return Mono.fromCallable(() -> {
            try (InputStream in = new DefaultResourceLoader().getResource(url).getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Void> store(RevocationStatus status) {
        Document entries = new Document();
        status.entries().forEach(entries::append);
        return Mono.from(copies.replaceOne(eq("_id", "google"), new Document("_id", "google")
                .append("entries", entries).append("fetchedAt", Documents.date(status.fetchedAt())),
                new ReplaceOptions().upsert(true))).then();
    }

    private Mono<Void> loadStored() {
        return Mono.from(copies.find(eq("_id", "google")).first())
                .doOnNext(d -> {
                    Map<String, String> entries = new HashMap<>();
                    d.get("entries", Document.class).forEach((k, v) -> entries.put(k, String.valueOf(v)));
                    current.set(new RevocationStatus(entries, Documents.instant(d.getDate("fetchedAt"))));
                })
                .then();
    }

    @Override
    public String name() {
        return "google-revocation-list";
    }

    /** Every instance keeps its own copy in memory: each refreshes (the stored copy is shared). */
    @Override
    public Duration interval() {
        return properties.revocationRefresh();
    }

    @Override
    public Duration initialDelay() {
        return Duration.ZERO;
    }

    /** The first run reads the stored copy first (a restarted offline instance has it at once), then refreshes. */
    @Override
    public Mono<?> run() {
        if (loaded) {
            return refresh();
        }
        return loadStored().onErrorResume(e -> Mono.empty()).doOnTerminate(() -> loaded = true).then(refresh());
    }
}
