package org.wardfleet.console.sessions;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.identity.BrowserSessionCheck;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Browser sessions of every front end ({@code console_sessions}: the console's came first), shared by every instance. Looked up by {@code _id} only — the hash of
 * the cookie, a credential like a sign-in email — so the organisation comes from the stored record. Ended sessions
 * are deleted by {@link SessionSweep}; MongoDB also gets a TTL index on {@code expiresAt} (the embedded store ignores
 * TTL).
 */
@Component
public class SessionStore implements IndexedCollection, BrowserSessionCheck {

    private final MongoCollection<Document> sessions;
    private final Clock clock;

    public SessionStore(MongoDatabase db, Clock clock) {
        this.clock = clock;
        this.sessions = db.getCollection("console_sessions");
    }

    @Override
    public Publisher<?> createIndexes() {
        return sessions.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L,
                TimeUnit.SECONDS));
    }

    public Mono<Void> insert(BrowserSession s) {
        Caller c = s.caller();
        return Mono.from(sessions.insertOne(new Document("_id", s.id()).append("area", s.area())
                .append("orgId", c.orgId()).append("userId", c.userId()).append("email", c.email())
                .append("roles", c.roles().stream().map(Enum::name).sorted().toList())
                .append("method", s.method().name()).append("csrf", s.csrfToken())
                .append("signedInAt", Documents.date(s.signedInAt())).append("idleUntil", Documents.date(s.idleUntil()))
                .append("endsAt", Documents.date(s.endsAt()))
                .append("expiresAt", Documents.date(earlier(s.idleUntil(), s.endsAt()))))).then();
    }

    public Mono<BrowserSession> find(String id) {
        return Mono.from(sessions.find(eq("_id", id)).first()).map(SessionStore::toSession);
    }

    /** The person acted: the idle deadline moves (never past the absolute end, never back). */
    public Mono<Void> extend(BrowserSession s, Instant idleUntil) {
        Instant until = earlier(idleUntil, s.endsAt());
        return Mono.from(sessions.updateOne(and(eq("_id", s.id()), lt("idleUntil", Documents.date(until))),
                Updates.combine(Updates.set("idleUntil", Documents.date(until)),
                        Updates.set("expiresAt", Documents.date(until))))).then();
    }

    public Mono<Boolean> delete(String id) {
        return Mono.from(sessions.deleteOne(eq("_id", id))).map(r -> r.getDeletedCount() == 1);
    }

    /** For access tokens minted for a session ({@code sid}): the session has not ended. Does not extend it. */
    @Override
    public Mono<Boolean> live(String sessionId) {
        return find(sessionId).map(s -> s.liveAt(clock.instant())).defaultIfEmpty(false);
    }

    /** Sessions ended by either deadline; returns how many were deleted. */
    public Mono<Long> deleteEnded(Instant now) {
        return Mono.from(sessions.deleteMany(lt("expiresAt", Documents.date(now)))).map(r -> r.getDeletedCount());
    }

    private static BrowserSession toSession(Document d) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : d.getList("roles", String.class, List.of())) {
            roles.add(Role.valueOf(role));
        }
        Caller caller = new Caller(d.getString("userId"), d.getString("orgId"), d.getString("email"), roles);
        // sessions stored before the clinician app had no area: they are the console's
        String area = d.getString("area") == null ? "console" : d.getString("area");
        return new BrowserSession(d.getString("_id"), area, caller, SignIns.Method.valueOf(d.getString("method")),
                d.getString("csrf"), Documents.instant(d.getDate("signedInAt")),
                Documents.instant(d.getDate("idleUntil")), Documents.instant(d.getDate("endsAt")));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
