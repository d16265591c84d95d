package org.wardfleet.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.wardfleet.support.RunningServer;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.reactivestreams.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;

/**
 * With {@code wardfleet.mongodb.uri} set, pages and receipts are written with write concern majority and read with
 * read concern majority, and writes are retried across a failover; the embedded default keeps the driver's defaults
 * (it is one server). Under {@code prod} a standalone MongoDB stops the start with one line.
 */
class ProductionMongoSettingsTests {

    MongoServer standalone;
    String uri;

    @BeforeEach
    void startStandalone() {
        standalone = new MongoServer(new KeyLookupIndex.Memory());
        standalone.enableOplog();
        uri = "mongodb://127.0.0.1:" + standalone.bind().getPort();
    }

    @AfterEach
    void stopStandalone() {
        standalone.shutdownNow();
    }

    @Test
    void anExternalMongoDbGetsMajorityConcernsAndRetryableWritesUnlessTheUriSaysOtherwise() {
        MongoClientSettings settings = MongoConfiguration.external(
                new ConnectionString("mongodb://db1,db2,db3/?replicaSet=rs0")).build();
        assertThat(settings.getWriteConcern().getWObject()).isEqualTo("majority");
        assertThat(settings.getReadConcern()).isEqualTo(ReadConcern.MAJORITY);
        assertThat(settings.getRetryWrites()).isTrue();
        assertThat(settings.getRetryReads()).isTrue();

        MongoClientSettings overridden = MongoConfiguration.external(
                new ConnectionString("mongodb://db1/?w=1&retryWrites=false")).build();
        assertThat(overridden.getWriteConcern()).isEqualTo(WriteConcern.W1);
        assertThat(overridden.getRetryWrites()).isFalse();
    }

    @Test
    void theSettingsReachTheDriverOfARunningInstanceAndTheEmbeddedDefaultKeepsItsOwn() {
        try (RunningServer external = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.uri", uri));
                RunningServer embedded = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                        "wardfleet.mongodb.embedded", "MEMORY"))) {
            MongoDatabase db = external.bean(MongoDatabase.class);
            assertThat(db.getWriteConcern().getWObject()).isEqualTo("majority");
            assertThat(db.getReadConcern()).isEqualTo(ReadConcern.MAJORITY);
            // and the instance works with them: it bootstrapped its first organisation through this database
            external.http().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

            assertThat(embedded.bean(MongoDatabase.class).getWriteConcern()).isEqualTo(WriteConcern.ACKNOWLEDGED);
            assertThat(embedded.bean(MongoDatabase.class).getReadConcern()).isEqualTo(ReadConcern.DEFAULT);
        }
    }

    @Test
    void prodRefusesAStandaloneMongoDbWithOneLine() {
        assertThatThrownBy(() -> RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.uri", uri, "wardfleet.pki.ca-passphrase", "prod-test-passphrase-1234",
                "wardfleet.messaging.master-key", "prod-test-messaging-master-key-0123456789",
                "wardfleet.data-key", "prod-test-data-key-0123456789-0123456789",
                "wardfleet.bootstrap.admin-password", "standalone-test-password-1"), "prod").close())
                .satisfies(e -> {
                    FailureAnalysis analysis = new StandaloneRefusedFailureAnalyzer().analyze(e);
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).doesNotContain("\n")
                            .contains("standalone MongoDB server").contains("replica set");
                });
    }

    @Test
    void aReplicaSetOrAShardedClusterIsAcceptedAndAStandaloneIsNot() {
        assertThat(ReplicaSetCheck.kind(new Document("setName", "rs0").append("isWritablePrimary", true)))
                .isEqualTo("replica set rs0");
        assertThat(ReplicaSetCheck.kind(new Document("msg", "isdbgrid"))).isEqualTo("sharded cluster");
        assertThat(ReplicaSetCheck.kind(new Document("ismaster", true))).isNull();
    }
}
