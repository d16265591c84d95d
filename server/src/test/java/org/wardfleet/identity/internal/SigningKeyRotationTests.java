package org.wardfleet.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Signing keys rotate on their own: a due key is replaced once (however many instances check), sessions signed with
 * the old key survive the switch, and the old key is deleted once none of its tokens can still be valid.
 */
@WardfleetTest
@TestPropertySource(properties = "wardfleet.identity.signing-key-lifetime=2d")
class SigningKeyRotationTests {

    @Autowired TestApi api;
    @Autowired WebTestClient http;
    @Autowired SigningKeys keys;
    @Autowired MongoDatabase db;

    @Test
    void aDueKeyIsReplacedOnceOldSessionsSurviveTheSwitchAndTheOldKeyIsRetiredAfterTheLastTokenExpires()
            throws Exception {
        String before = api.adminToken();
        String oldKid = kid(before);
        assertThat(rotateIfDue()).as("a fresh key is not due").isFalse();

        age(oldKid, Duration.ofDays(3));
        // two instances noticing at the same time add one key between them
        List<Boolean> added = Flux.merge(keys.rotateIfDue(), keys.rotateIfDue()).collectList().block();
        assertThat(added).containsExactlyInAnyOrder(true, false);
        String after = api.adminToken();
        String newKid = kid(after);
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(publishedKids()).containsExactlyInAnyOrder(oldKid, newKid);
        assertThat(me(before)).as("a session signed with the old key survives the switch").isEqualTo(200);
        assertThat(me(after)).isEqualTo(200);

        // once the new key has signed for longer than a token lives, the old one goes
        age(newKid, Duration.ofDays(1));
        assertThat(rotateIfDue()).isFalse();
        assertThat(publishedKids()).containsExactly(newKid);
        assertThat(me(before)).isEqualTo(401);
        assertThat(me(after)).isEqualTo(200);
    }

    private Boolean rotateIfDue() {
        return keys.rotateIfDue().block();
    }

    private void age(String kid, Duration by) {
        Mono.from(db.getCollection("token_signing_keys").updateOne(Filters.eq("_id", kid),
                Updates.set("createdAt", Date.from(Instant.now().minus(by))))).block();
    }

    private List<String> publishedKids() {
        Document jwks = http.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk()
                .expectBody(Document.class).returnResult().getResponseBody();
        return jwks.getList("keys", java.util.Map.class).stream().map(k -> (String) k.get("kid")).toList();
    }

    private int me(String token) {
        return http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange()
                .returnResult(String.class).getStatus().value();
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }
}
