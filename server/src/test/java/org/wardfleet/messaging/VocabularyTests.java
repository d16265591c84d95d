package org.wardfleet.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.wardfleet.platform.web.ProblemException;

/** The words of messaging and the rules they carry, without the application. */
class VocabularyTests {

    @Test
    void aReceiptOnlyEverMovesARecipientForwardAndNeverFromOneAnswerToTheOther() {
        assertThat(ReceiptState.SENT.canMoveTo(ReceiptState.DELIVERED)).isTrue();
        assertThat(ReceiptState.SENT.canMoveTo(ReceiptState.ACKNOWLEDGED)).isTrue();
        assertThat(ReceiptState.DELIVERED.canMoveTo(ReceiptState.READ)).isTrue();
        assertThat(ReceiptState.READ.canMoveTo(ReceiptState.DECLINED)).isTrue();

        assertThat(ReceiptState.READ.canMoveTo(ReceiptState.DELIVERED)).isFalse();
        assertThat(ReceiptState.DELIVERED.canMoveTo(ReceiptState.DELIVERED)).isFalse();
        assertThat(ReceiptState.ACKNOWLEDGED.canMoveTo(ReceiptState.DECLINED)).isFalse();
        assertThat(ReceiptState.DECLINED.canMoveTo(ReceiptState.ACKNOWLEDGED)).isFalse();
        assertThat(ReceiptState.SENT.canMoveTo(ReceiptState.SENT)).isFalse();
        assertThat(ReceiptState.SENT.canMoveTo(null)).isFalse();

        // what a conditional update filters on: recall only while unread, a delivery only from SENT
        assertThat(ReceiptState.before(ReceiptState.READ)).containsExactly(ReceiptState.SENT, ReceiptState.DELIVERED);
        assertThat(ReceiptState.before(ReceiptState.DELIVERED)).containsExactly(ReceiptState.SENT);
    }

    @Test
    void aPriorityIsOneOfThreeWordsAndAnyOtherIsAnInvalidField() {
        assertThat(Priority.parse("STAT", "priority")).isEqualTo(Priority.STAT);
        assertThat(Priority.WORDS).containsExactly("ROUTINE", "URGENT", "STAT");
        for (String word : List.of("stat", "HIGH", "", "ROUTINE ")) {
            assertThatThrownBy(() -> Priority.parse(word, "priority")).isInstanceOfSatisfying(ProblemException.class,
                    p -> assertThat(p.getBody().getType().toString())
                            .isEqualTo("urn:wardfleet:problem:validation-failed"));
        }
        assertThat(Priority.ROUTINE.alerts()).isFalse();
        assertThat(Priority.STAT.rank()).isGreaterThan(Priority.URGENT.rank());
    }

    @Test
    void aStoredTargetComesBackAsTheSameKindOfRecipient() {
        for (Recipient r : List.of(new Recipient.User("u"), new Recipient.OnCallRole("r"), new Recipient.Group("g"),
                new Recipient.Everyone())) {
            assertThat(Recipient.of(r.type(), r.id())).isEqualTo(r);
        }
    }
}
