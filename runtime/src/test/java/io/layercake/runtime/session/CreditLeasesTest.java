package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.SessionSettings;
import io.layercake.config.SettingsLoader;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.session.SessionState.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a turn may be charged on the conversation's lease, and what the turn that ends it commits. */
class CreditLeasesTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static final SessionSettings SESSIONS =
      SettingsLoader.load(Map.of()).sessions().withCreditLeases(10, Duration.ofMinutes(1));
  private static final List<CostLine> REPLY = List.of(new CostLine("ai_reply", 1));

  private final CreditLeases leases = new CreditLeases("s-1", SESSIONS);

  @Test
  void aLeaseAsksForSeveralTurnsButSmsAndSingleTurnLeasesReserveExactly() {
    assertThat(leases.amount(3, false, 1)).as("10 turns and up to half as many again").isBetween(30L, 45L)
        .isEqualTo(leases.amount(3, false, 1)).isEqualTo(3L * InStep.leaseTurns("s-1", 1, 10));
    assertThat(leases.atLeast(3, false)).isEqualTo(3);
    assertThat(leases.amount(3, true, 1)).isEqualTo(3);
    assertThat(leases.atLeast(3, true)).isZero();
    CreditLeases single = new CreditLeases("s-1", SESSIONS.withCreditLeases(1, Duration.ofMinutes(1)));
    assertThat(single.amount(3, false, 1)).isEqualTo(3);
    assertThat(single.atLeast(3, false)).isZero();
  }

  @Test
  void aTurnKeepsTheLeaseWhileAnotherTurnStillFitsInCreditAndTime() {
    Turn turn = turn("s:1", 3);
    CreditLeases.Held held = new CreditLeases.Held("s:1", 5, NOW.plus(Duration.ofMinutes(5)), true);

    assertThat(leases.keeping(held, null, turn, REPLY, false, NOW))
        .contains(new Lease("s:1", 5, 1, REPLY, held.expiresAt()));
    CreditLeases.Held exactly = new CreditLeases.Held("s:1", 4, held.expiresAt(), true);
    assertThat(leases.keeping(exactly, null, turn, REPLY, false, NOW)).as("room for exactly one more turn").isPresent();
    Lease spent = new Lease("s:1", 5, 2, List.of(new CostLine("ai_reply", 2)), held.expiresAt());
    assertThat(leases.keeping(held, spent, turn, REPLY, false, NOW)).as("3 spent leaves 2, less than the estimate 3").isEmpty();
    assertThat(leases.keeping(held, null, turn, REPLY, false, held.expiresAt().minus(Duration.ofSeconds(59))))
        .as("less than the idle time left").isEmpty();
    assertThat(leases.keeping(held, null, turn, REPLY, true, NOW)).as("SMS").isEmpty();
    assertThat(leases.keeping(new CreditLeases.Held("s:1", 5, held.expiresAt(), false), null, turn, REPLY, false, NOW))
        .as("committed already").isEmpty();
    assertThat(leases.keeping(held, null, turn("s:2", 3), REPLY, false, NOW)).as("another reservation").isEmpty();
  }

  @Test
  void theTurnThatEndsALeaseCommitsItsEarlierTurnsWithItsOwnLinesSummedPerItem() {
    Lease lease = new Lease("s:1", 30, 4, List.of(new CostLine("ai_reply", 3), new CostLine("tool:capture_lead", 1)), NOW);
    List<CostLine> costs = List.of(new CostLine("ai_reply", 1), new CostLine("tool:book_appointment", 2));

    CreditLeases.Closing closing = leases.closing(lease, turn("s:1", 3), costs);

    assertThat(closing.total()).isEqualTo(7);
    assertThat(closing.breakdown()).containsExactly(
        new CostLine("ai_reply", 4), new CostLine("tool:capture_lead", 1), new CostLine("tool:book_appointment", 2));
    assertThat(closing.turnsShare(7)).isEqualTo(3);
    assertThat(closing.turnsShare(2)).as("the organization charged less (short of credits)").isZero();
    assertThat(leases.closing(lease, turn("s:9", 3), costs)).isEqualTo(new CreditLeases.Closing(0, 3, costs));
  }

  @Test
  void aTurnStartsOnTheLeaseWithoutAskingOnlyWhileThisIncarnationKnowsItOpenWithTimeLeft() {
    Lease lease = new Lease("s:1", 30, 4, REPLY, NOW.plus(Duration.ofMinutes(2)));
    CreditLeases.Held held = new CreditLeases.Held("s:1", 30, lease.expiresAt(), true);
    assertThat(leases.spendable(held, lease, NOW)).isTrue();
    assertThat(leases.spendable(null, lease, NOW)).as("recovered: ask first").isFalse();
    assertThat(leases.spendable(new CreditLeases.Held("s:1", 30, lease.expiresAt(), false), lease, NOW)).isFalse();
    assertThat(leases.spendable(held, lease, NOW.plus(Duration.ofMinutes(1)))).as("less than the idle time left").isFalse();
  }

  private static Turn turn(String reservationId, long estimate) {
    return new Turn(1, reservationId, List.of(), estimate, SessionState.Stage.THINKING, List.of(), List.of(), false, null);
  }
}
