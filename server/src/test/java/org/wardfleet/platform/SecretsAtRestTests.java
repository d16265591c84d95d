package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.support.RunningServer;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A copy of the database (a backup, the embedded H2 file) must not hold a key that signs: a local user once read the
 * token signing key from {@code data/wardfleet.mv} and forged an administrator token for another organisation. Every
 * stored private key is sealed with the data key; keys stored in clear by earlier versions are sealed at startup and
 * keep working.
 */
@WardfleetTest
class SecretsAtRestTests {

    @Autowired TestApi api;
    @Autowired WebTestClient http;
    @Autowired MongoDatabase db;
    @Autowired ApplicationContext context;

    @Test
    void storedSigningKeysHoldNoUsablePrivateKeyAndTokensStillVerify() {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", null);
        api.deviceCall(phone, "GET", "/device/v1/policy", null).expectStatus().isOk();
        assertThat(me(admin.token())).isEqualTo(200);

        for (String collection : List.of("token_signing_keys", "policy_signing_keys")) {
            List<Document> stored = all(collection);
            assertThat(stored).as(collection).isNotEmpty();
            stored.forEach(doc -> assertThat(privateKeysIn(doc)).as("private keys in clear in %s", collection)
                    .isEmpty());
        }
    }

    @Test
    void keysStoredInClearByAnEarlierVersionAreSealedAtStartupAndTheTokenKeyIsReplaced() throws Exception {
        // an earlier version's token key, stored in clear: whoever could read the file may have copied it
        ECKey legacyToken = key("wf-legacy-" + UUID.randomUUID());
        insert("token_signing_keys", new Document("_id", legacyToken.getKeyID()).append("jwk", legacyToken.toJSONString())
                .append("createdAt", Date.from(Instant.now())));
        // and a policy key of an organisation that has not signed a policy yet
        TestApi.User admin = api.newOrganisation();
        String orgId = (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
        ECKey legacyPolicy = key("wfp-legacy-" + UUID.randomUUID());
        insert("policy_signing_keys", new Document("_id", orgId).append("jwk", legacyPolicy.toJSONString())
                .append("createdAt", new Date()));

        // what startup runs
        for (String bean : List.of("signingKeys", "policySigner")) {
            Mono.from(context.getBean(bean, IndexedCollection.class).createIndexes()).block();
        }

        for (String collection : List.of("token_signing_keys", "policy_signing_keys")) {
            all(collection).forEach(doc -> {
                assertThat(doc).as("%s %s", collection, doc.get("_id")).doesNotContainKey("jwk").containsKey("sealedJwk");
                assertThat(privateKeysIn(doc)).isEmpty();
            });
        }
        // a new key signs from now on; the exposed one only verifies tokens already issued, until they expire
        String token = api.adminToken();
        assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isNotEqualTo(legacyToken.getKeyID());
        assertThat(me(token)).isEqualTo(200);
        assertThat(http.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).contains(legacyToken.getKeyID());

        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", null);
        String policy = api.deviceCall(phone, "GET", "/device/v1/policy", null).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(SignedJWT.parse(policy).verify(new ECDSAVerifier(legacyPolicy.toECPublicKey())))
                .as("the policy is signed with the migrated key").isTrue();
    }

    @Test
    void prodRefusesToStartWithoutADataKey() {
        assertThatThrownBy(() -> RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY", "wardfleet.pki.ca-passphrase", "prod-test-passphrase-1234",
                "wardfleet.messaging.master-key", "prod-test-messaging-master-key-0123456789",
                "wardfleet.bootstrap.admin-password", "secrets-test-password-1"), "prod").close())
                .hasStackTraceContaining("needs a data key").hasStackTraceContaining("WARDFLEET_DATA_KEY");
    }

    /** Every value in the document that parses as a JWK holding private parameters. */
    private static List<String> privateKeysIn(Object value) {
        List<String> found = new ArrayList<>();
        if (value instanceof Document doc) {
            if (doc.containsKey("d") || doc.containsKey("p")) {
                found.add(doc.toJson());
            }
            doc.values().forEach(v -> found.addAll(privateKeysIn(v)));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> found.addAll(privateKeysIn(v)));
        } else if (value instanceof String text && text.trim().startsWith("{")) {
            try {
                if (JWK.parse(text).isPrivate()) {
                    found.add(text);
                }
            } catch (java.text.ParseException notAJwk) {
                found.addAll(privateKeysIn(Document.parse(text)));
            }
        }
        return found;
    }

    private static ECKey key(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).keyID(kid)
                .generate();
    }

    private List<Document> all(String collection) {
        return Flux.from(db.getCollection(collection).find()).collectList().block();
    }

    private void insert(String collection, Document doc) {
        Mono.from(db.getCollection(collection).deleteOne(Filters.eq("_id", doc.get("_id")))).block();
        Mono.from(db.getCollection(collection).insertOne(doc)).block();
    }

    private int me(String token) {
        return http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange().returnResult(String.class)
                .getStatus().value();
    }
}
