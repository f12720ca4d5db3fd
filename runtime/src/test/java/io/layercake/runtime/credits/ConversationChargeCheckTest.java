package io.layercake.runtime.credits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConversationChargeCheckTest {

  @Test
  void conversationsThatRecordedWhatTheLedgerChargedAgreeAcrossTheirOrganizationsPools() {
    ConversationChargeCheck.Outcome outcome = new ConversationChargeCheck()
        .add(new ConversationChargeCheck.Ledger("agency", Map.of("s-1", 4L), Set.of()))
        .add(new ConversationChargeCheck.Ledger("client", Map.of("s-1", 3L, "s-2", 5L), Set.of()))
        .compare(Map.of(
            "s-1", new ConversationChargeCheck.Recorded("client", 7),
            "s-2", new ConversationChargeCheck.Recorded("client", 5)));

    assertThat(outcome).isEqualTo(new ConversationChargeCheck.Outcome(2, 0, java.util.List.of()));
  }

  @Test
  void aChargeRecordedTwiceOrNotAtAllIsADifferenceAndAnUnsettledConversationIsOnlyPending() {
    ConversationChargeCheck.Outcome outcome = new ConversationChargeCheck()
        .add(new ConversationChargeCheck.Ledger("plumber", Map.of("uncharged", 6L, "twice", 2L, "leasing", 9L), Set.of("leasing")))
        .compare(Map.of(
            "twice", new ConversationChargeCheck.Recorded("plumber", 4),
            "leasing", new ConversationChargeCheck.Recorded("plumber", 3),
            "unknown", new ConversationChargeCheck.Recorded("plumber", 1)));

    assertThat(outcome.pending()).isEqualTo(1);
    assertThat(outcome.compared()).isEqualTo(3);
    assertThat(outcome.differences()).containsExactly(
        new ConversationChargeCheck.Difference("twice", "plumber", 4, 2),
        new ConversationChargeCheck.Difference("uncharged", "plumber", 0, 6),
        new ConversationChargeCheck.Difference("unknown", "plumber", 1, 0));
  }
}
