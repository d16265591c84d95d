package org.wardfleet.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.bson.Document;

/** The embedded server's faster sort answers exactly what the server's own stable sort answers. */
class EmbeddedSortTests {

    @Test
    void pagesComeInTheServersOwnOrderWithTiesMissingValuesAndMixedTypes() {
        Random random = new Random(7);
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Document d = new Document("_id", "d" + i).append("n", i);
            switch (random.nextInt(5)) {
                case 0 -> { } // no lastSeenAt at all
                case 1 -> d.append("lastSeenAt", null);
                case 2 -> d.append("lastSeenAt", "text " + random.nextInt(10));
                default -> d.append("lastSeenAt", java.time.Instant.ofEpochSecond(1_700_000_000L + random.nextInt(50)));
            }
            d.append("state", random.nextBoolean() ? "ACTIVE" : "RETIRED");
            documents.add(d);
        }
        for (Document orderBy : List.of(new Document("lastSeenAt", -1), new Document("lastSeenAt", 1),
                new Document("state", 1).append("lastSeenAt", -1))) {
            for (int[] page : new int[][] {{0, 50}, {2000, 50}, {2990, 50}, {0, 0}, {100, 0}}) {
                int skip = page[0];
                int limit = page[1];
                List<Document> expected = documents.stream().sorted(new DocumentComparator(orderBy)).skip(skip)
                        .limit(limit > 0 ? limit : Long.MAX_VALUE).toList();
                List<Document> actual = EmbeddedSort.top(documents.stream(), orderBy, skip, limit).skip(skip)
                        .limit(limit > 0 ? limit : Long.MAX_VALUE).toList();
                assertThat(actual).as("%s skip %d limit %d", orderBy, skip, limit).isEqualTo(expected);
            }
        }
    }

    @Test
    void naturalOrderIsLeftToTheServer() {
        assertThat(EmbeddedSort.handles(new Document("$natural", -1))).isFalse();
        assertThat(EmbeddedSort.handles(null)).isFalse();
        assertThat(EmbeddedSort.handles(new Document("at", -1))).isTrue();
    }
}
