package io.layercake.runtime.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.ManualClock;
import io.layercake.runtime.TestSettings;
import io.layercake.runtime.credits.OrgEntity.Accepted;
import io.layercake.runtime.credits.OrgEntity.AddPurchased;
import io.layercake.runtime.credits.OrgEntity.Balance;
import io.layercake.runtime.credits.OrgEntity.Command;
import io.layercake.runtime.credits.OrgEntity.Commit;
import io.layercake.runtime.credits.OrgEntity.Committed;
import io.layercake.runtime.credits.OrgEntity.CreditsExhausted;
import io.layercake.runtime.credits.OrgEntity.CurrentBalance;
import io.layercake.runtime.credits.OrgEntity.Event;
import io.layercake.runtime.credits.OrgEntity.GetBalance;
import io.layercake.runtime.credits.OrgEntity.Grant;
import io.layercake.runtime.credits.OrgEntity.Granted;
import io.layercake.runtime.credits.OrgEntity.CreditsHeld;
import io.layercake.runtime.credits.OrgEntity.Insufficient;
import io.layercake.runtime.credits.OrgEntity.LowCredits;
import io.layercake.runtime.credits.OrgEntity.Open;
import io.layercake.runtime.credits.OrgEntity.Opened;
import io.layercake.runtime.credits.OrgEntity.Reason;
import io.layercake.runtime.credits.OrgEntity.Rejected;
import io.layercake.runtime.credits.OrgEntity.Release;
import io.layercake.runtime.credits.OrgEntity.Released;
import io.layercake.runtime.credits.OrgEntity.Reply;
import io.layercake.runtime.credits.OrgEntity.Reserve;
import io.layercake.runtime.credits.OrgEntity.Reserved;
import io.layercake.runtime.credits.OrgEntity.State;
import io.layercake.runtime.credits.OrgEntity.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger's rules, one at a time, with the in-memory journal; every message is serialized on the way. */
class OrgEntityTest {
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  private ManualClock clock;
  private TestProbe<Command> parent;
  private EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeEach
  void startEntity() {
    clock = new ManualClock(START);
    parent = testKit.createTestProbe();
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), OrgEntity.create("acme", TestSettings.orgDependencies(100, orgId -> parent.ref(), clock)));
    kit.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private CommandResultWithReply<Command, Event, State, Reply> run(Function<ActorRef<Reply>, Command> command) {
    return kit.runCommand(command::apply);
  }

  private void open(String tier) {
    assertThat(run(replyTo -> new Open("Acme Plumbing", tier, null, replyTo)).reply()).isInstanceOf(Accepted.class);
  }

  private Balance balance() {
    return ((CurrentBalance) run(GetBalance::new).reply()).balance();
  }

  private Reply reserve(String id, long amount) {
    return run(replyTo -> new Reserve(id, amount, "session-1", "agent-1", null, replyTo)).reply();
  }

  private Reply commit(String id, long cost) {
    List<CostLine> lines = cost == 0 ? List.of() : List.of(new CostLine("llm_reply", cost));
    return run(replyTo -> new Commit(id, cost, lines, null, replyTo)).reply();
  }

  @Test
  void opensOnceAndRepeatsTheSameAnswerForTheSameDetails() {
    var opened = run(replyTo -> new Open("Acme Plumbing", "pro", null, replyTo));
    var again = run(replyTo -> new Open("Acme Plumbing", "pro", null, replyTo));
    var conflicting = run(replyTo -> new Open("Other", "free", null, replyTo));
    var unknownTier = kit.<Reply>runCommand(replyTo -> new Open("X", "platinum", null, replyTo));

    assertThat(opened.event()).isEqualTo(new Opened("Acme Plumbing", "pro", null, START));
    assertThat(opened.reply()).isEqualTo(new Accepted(new Summary("acme", "Acme Plumbing", "pro", null)));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply()).isEqualTo(opened.reply());
    assertThat(conflicting.reply()).isEqualTo(new Rejected(Reason.CONFLICT, "organization acme is already open with other details"));
    assertThat(unknownTier.hasNoEvents()).isTrue();
  }

  @Test
  void refusesCommandsBeforeItIsOpen() {
    var grant = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 200, replyTo));

    assertThat(grant.hasNoEvents()).isTrue();
    assertThat(grant.reply()).isEqualTo(new Rejected(Reason.NOT_FOUND, "organization acme does not exist"));
    assertThat(reserve("r1", 1)).isEqualTo(grant.reply());
  }

  @Test
  void aNewPeriodReplacesWhatIsLeftOfTheOldOneAndOldPeriodsChangeNothing() {
    open("pro");
    var november = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 200, replyTo));
    reserve("r1", 50);
    commit("r1", 50);
    var duplicate = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 200, replyTo));
    var stale = run(replyTo -> new Grant("2026-10", Bucket.MONTHLY, 200, replyTo));
    var december = run(replyTo -> new Grant("2026-12", Bucket.MONTHLY, 200, replyTo));

    assertThat(november.event()).isEqualTo(new Granted("2026-11", Bucket.MONTHLY, 200, 0, START));
    assertThat(duplicate.hasNoEvents()).isTrue();
    assertThat(stale.hasNoEvents()).isTrue();
    assertThat(december.event()).isEqualTo(new Granted("2026-12", Bucket.MONTHLY, 200, 150, START));
    Balance balance = balance();
    assertThat(balance.buckets()).isEqualTo(new Balances(0, 200, 0));
    assertThat(balance.totals()).isEqualTo(new LedgerTotals(400, 0, 50, 150, 0, 0));
  }

  @Test
  void purchasesAreAddedOncePerKey() {
    open("free");
    var first = run(replyTo -> new AddPurchased("cs_1", 100, replyTo));
    var duplicate = run(replyTo -> new AddPurchased("cs_1", 100, replyTo));

    assertThat(first.hasNoEvents()).isFalse();
    assertThat(duplicate.hasNoEvents()).isTrue();
    assertThat(balance().buckets()).isEqualTo(new Balances(0, 0, 100));
  }

  @Test
  void reservesInSpendingOrderAndARetryGetsTheSameAnswer() {
    open("pro");
    run(replyTo -> new Grant("2026-11-25", Bucket.DAILY, 3, replyTo));
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 5, replyTo));
    run(replyTo -> new AddPurchased("cs_1", 100, replyTo));

    Reply reserved = reserve("r1", 10);
    var retry = run(replyTo -> new Reserve("r1", 10, "session-1", "agent-1", null, replyTo));

    assertThat(reserved).isEqualTo(new Reserved("r1", 10, START.plus(TestSettings.RESERVATION_TTL)));
    assertThat(retry.hasNoEvents()).isTrue();
    assertThat(retry.reply()).isEqualTo(reserved);
    Balance balance = balance();
    assertThat(balance.buckets()).isEqualTo(new Balances(0, 0, 98));
    assertThat(balance.reserved()).isEqualTo(10);
    assertThat(balance.available()).isEqualTo(98);
  }

  @Test
  void refusesWhatItCannotCoverAndKeepsSayingSo() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 5, replyTo));

    var refused = run(replyTo -> new Reserve("r1", 6, "session-1", "agent-1", null, replyTo));
    run(replyTo -> new AddPurchased("cs_1", 100, replyTo));
    var retry = run(replyTo -> new Reserve("r1", 6, "session-1", "agent-1", null, replyTo));

    assertThat(refused.reply()).isEqualTo(new Insufficient("r1", 5));
    assertThat(refused.hasNoEvents()).isFalse();
    assertThat(retry.reply()).isEqualTo(new Insufficient("r1", 5));
    assertThat(retry.hasNoEvents()).isTrue();
    assertThat(commit("r1", 1)).isInstanceOf(Rejected.class);
  }

  @Test
  void commitSpendsTheActualCostAndReturnsTheRestOnce() {
    open("pro");
    run(replyTo -> new Grant("2026-11-25", Bucket.DAILY, 2, replyTo));
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));
    reserve("r1", 5);

    var committed = run(replyTo -> new Commit("r1", 3, List.of(new CostLine("llm_reply", 1), new CostLine("tool:book", 2)), null, replyTo));
    var retry = run(replyTo -> new Commit("r1", 3, List.of(new CostLine("llm_reply", 1), new CostLine("tool:book", 2)), null, replyTo));

    assertThat(committed.reply()).isEqualTo(new Committed("r1", 3, 0));
    assertThat(retry.hasNoEvents()).isTrue();
    assertThat(retry.reply()).isEqualTo(committed.reply());
    // daily 2 + monthly 3 were held; the cost takes daily 2 + monthly 1, monthly 2 goes back.
    assertThat(balance().buckets()).isEqualTo(new Balances(0, 9, 0));
    assertThat(balance().totals().committed()).isEqualTo(3);
  }

  @Test
  void aBreakdownThatDoesNotAddUpIsRefused() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));
    reserve("r1", 5);

    var wrong = run(replyTo -> new Commit("r1", 3, List.of(new CostLine("llm_reply", 1)), null, replyTo));

    assertThat(wrong.hasNoEvents()).isTrue();
    assertThat(wrong.reply()).isInstanceOf(Rejected.class);
  }

  @Test
  void aCostAboveTheReservationSpendsWhatIsAvailableAndRecordsTheShortfall() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));
    reserve("r1", 4);

    assertThat(commit("r1", 15)).isEqualTo(new Committed("r1", 10, 5));
    Balance balance = balance();
    assertThat(balance.buckets()).isEqualTo(Balances.EMPTY);
    assertThat(balance.totals().shortfall()).isEqualTo(5);
    assertThat(balance.totals().balances(0, 0)).isTrue();
  }

  @Test
  void releaseReturnsTheHoldOnceAndALateCommitStillPays() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));
    reserve("r1", 4);

    var released = run(replyTo -> new Release("r1", null, replyTo));
    var again = run(replyTo -> new Release("r1", null, replyTo));

    assertThat(released.reply()).isEqualTo(new Released("r1", Settlement.Outcome.RELEASED));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(balance().buckets()).isEqualTo(new Balances(0, 10, 0));
    assertThat(commit("r1", 2)).isEqualTo(new Committed("r1", 2, 0));
    assertThat(balance().buckets()).isEqualTo(new Balances(0, 8, 0));
  }

  @Test
  void anUnsettledReservationExpiresAfterItsTimeToLive() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));
    reserve("r1", 4);

    var early = kit.runCommand(new OrgEntity.ExpireReservation("r1"));
    clock.advance(TestSettings.RESERVATION_TTL);
    var due = kit.runCommand(new OrgEntity.ExpireReservation("r1"));

    assertThat(early.hasNoEvents()).isTrue();
    assertThat(due.event()).isInstanceOf(OrgEntity.ReservationReleased.class);
    assertThat(((OrgEntity.ReservationReleased) due.event()).expired()).isTrue();
    assertThat(balance().buckets()).isEqualTo(new Balances(0, 10, 0));
    assertThat(run(replyTo -> new Release("r1", null, replyTo)).reply()).isEqualTo(new Released("r1", Settlement.Outcome.EXPIRED));
  }

  @Test
  void anUnlimitedTierAlwaysReservesAndRecordsUsageWithoutCredits() {
    open("enterprise");

    assertThat(reserve("r1", 1_000)).isInstanceOf(Reserved.class);
    assertThat(commit("r1", 700)).isEqualTo(new Committed("r1", 0, 0));
    Balance balance = balance();
    assertThat(balance.unlimited()).isTrue();
    assertThat(balance.totals().unmetered()).isEqualTo(700);
    assertThat(balance.buckets()).isEqualTo(Balances.EMPTY);
  }

  @Test
  void warnsOnceWhenCreditsRunLowAndWhenTheyRunOut() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));

    var atThreshold = run(replyTo -> new Reserve("r1", 8, "session-1", "agent-1", null, replyTo));
    var belowThreshold = run(replyTo -> new Reserve("r2", 1, "session-1", "agent-1", null, replyTo));
    var exhausted = run(replyTo -> new Reserve("r3", 1, "session-1", "agent-1", null, replyTo));

    // 2 left is exactly 20 % of 10: not below yet. 1 left is.
    assertThat(atThreshold.events()).hasSize(1);
    assertThat(belowThreshold.events()).hasSize(2);
    assertThat(belowThreshold.events().get(1)).isEqualTo(new LowCredits("2026-11", 1, 10, START));
    assertThat(exhausted.events()).hasSize(2);
    assertThat(exhausted.events().get(1)).isEqualTo(new CreditsExhausted("2026-11", START));
    assertThat(balance().lowCredits()).isTrue();
    assertThat(balance().exhausted()).isTrue();
  }

  @Test
  void aSubOrganizationForwardsMoneyToItsParentAndNamesItself() {
    assertThat(run(replyTo -> new Open("Plumber", "free", "agency-1", replyTo)).reply()).isInstanceOf(Accepted.class);

    TestProbe<Reply> caller = testKit.createTestProbe();

    var reserveResult = kit.runCommand(new Reserve("r1", 2, "session-1", "agent-1", null, caller.ref()));
    var grant = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));

    assertThat(reserveResult.hasNoEvents()).isTrue();
    assertThat(parent.receiveMessage()).isEqualTo(new Reserve("r1", 2, "session-1", "agent-1", "acme", caller.ref()));
    assertThat(grant.reply()).isInstanceOf(Rejected.class);
    kit.runCommand(new GetBalance(caller.ref()));
    assertThat(parent.receiveMessage()).isEqualTo(new GetBalance(caller.ref()));
    caller.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aSubOrganizationCannotSettleAnotherOnesReservation() {
    open("agency");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 100, replyTo));
    run(replyTo -> new Reserve("r1", 5, "session-a", "agent-a", "sub-a", replyTo));

    var foreignCommit = run(replyTo -> new Commit("r1", 5, List.of(new CostLine("llm_reply", 5)), "sub-b", replyTo));
    var foreignRelease = run(replyTo -> new Release("r1", "sub-b", replyTo));
    var foreignReserve = run(replyTo -> new Reserve("r1", 5, "session-b", "agent-b", "sub-b", replyTo));
    var ownCommit = run(replyTo -> new Commit("r1", 2, List.of(new CostLine("llm_reply", 2)), "sub-a", replyTo));

    assertThat(List.of(foreignCommit, foreignRelease, foreignReserve)).allMatch(result -> result.hasNoEvents()
        && result.reply().equals(new Rejected(Reason.CONFLICT, "reservation r1 belongs to another organization")));
    assertThat(ownCommit.reply()).isEqualTo(new Committed("r1", 2, 0));
  }

  @Test
  void aReservationRetriedAfterItsReleaseSaysSoInsteadOfReserved() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));
    reserve("r1", 4);
    run(replyTo -> new Release("r1", null, replyTo));

    assertThat(reserve("r1", 4)).isEqualTo(new Released("r1", Settlement.Outcome.RELEASED));
  }

  @Test
  void refusesAmountsBeyondTheLimitAndMalformedPeriods() {
    open("pro");

    var huge = run(replyTo -> new AddPurchased("cs_1", Long.MAX_VALUE, replyTo));
    var longKey = run(replyTo -> new AddPurchased("k".repeat(129), 10, replyTo));
    var badMonth = run(replyTo -> new Grant("2026-2", Bucket.MONTHLY, 10, replyTo));
    var dayAsMonth = run(replyTo -> new Grant("2026-11-25", Bucket.MONTHLY, 10, replyTo));
    var monthAsDay = run(replyTo -> new Grant("2026-11", Bucket.DAILY, 10, replyTo));

    assertThat(List.of(huge, longKey, badMonth, dayAsMonth, monthAsDay))
        .allMatch(result -> result.hasNoEvents() && result.reply() instanceof Rejected rejected && rejected.reason() == Reason.INVALID);
  }

  @Test
  void aPurchaseKeyAndATierKeyDoNotShadowEachOther() {
    open("free");
    run(replyTo -> new OrgEntity.ChangeTier("pro", "evt_1", replyTo));

    var purchase = run(replyTo -> new AddPurchased("evt_1", 100, replyTo));

    assertThat(purchase.hasNoEvents()).isFalse();
    assertThat(balance().buckets()).isEqualTo(new Balances(0, 0, 100));
  }

  @Test
  void anOrganizationWithNothingAvailableIsExhaustedWithoutEverCrossingZero() {
    open("free");
    assertThat(balance().exhausted()).as("never granted anything").isTrue();

    assertThat(reserve("r1", 1)).isInstanceOf(Insufficient.class);
    assertThat(balance().exhausted()).as("a refused turn changes nothing").isTrue();

    run(replyTo -> new AddPurchased("cs_1", 3, replyTo));
    assertThat(balance().exhausted()).isFalse();
    reserve("r2", 3);
    assertThat(balance().available()).isZero();
    assertThat(balance().exhausted()).as("all of it held by a turn in flight").isTrue();
  }

  @Test
  void lowCreditsFollowsTheBalanceNotOnlyTheAlert() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));
    reserve("r1", 9);
    assertThat(balance().lowCredits()).as("1 of 10 left").isTrue();

    run(replyTo -> new AddPurchased("cs_low_1", 5, replyTo));

    assertThat(balance().available()).isEqualTo(6);
    assertThat(balance().lowCredits()).as("bought credits lift it above 20 % of the allocation").isFalse();
  }

  @Test
  void anUnlimitedTierIsNeverExhausted() {
    open("enterprise");

    assertThat(balance().available()).isZero();
    assertThat(balance().exhausted()).isFalse();
  }

  @Test
  void creditsThatComeBackReArmTheExhaustedWarning() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 4, replyTo));
    reserve("r1", 4);
    assertThat(balance().exhausted()).isTrue();

    run(replyTo -> new Release("r1", null, replyTo));

    assertThat(balance().exhausted()).isFalse();
    assertThat(run(replyTo -> new Reserve("r2", 4, "s", "a", null, replyTo)).events())
        .anyMatch(CreditsExhausted.class::isInstance);
  }

  @Test
  void creditsHeldAcrossTheEndOfTheirPeriodLapseInsteadOfJoiningTheNewOne() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 200, replyTo));
    reserve("r1", 50);
    reserve("r2", 30);

    run(replyTo -> new Grant("2026-12", Bucket.MONTHLY, 200, replyTo));
    var released = run(replyTo -> new Release("r1", null, replyTo));
    commit("r2", 10);

    assertThat(((OrgEntity.ReservationReleased) released.event()).lapsed()).isEqualTo(new Balances(0, 50, 0));
    Balance balance = balance();
    assertThat(balance.buckets()).isEqualTo(new Balances(0, 200, 0));
    // 120 left in November expired with the grant, 50 + 20 of the holds lapsed, 10 was spent.
    assertThat(balance.totals()).isEqualTo(new LedgerTotals(400, 0, 10, 190, 0, 0));
    assertThat(balance.totals().balances(balance.buckets().total(), balance.reserved())).isTrue();
  }

  @Test
  void aBurstOfRefusalsDoesNotPushOutRealSettlements() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10, replyTo));
    reserve("paid", 5);
    commit("paid", 5);

    for (int i = 0; i < 600; i++) {
      String id = "refused-" + i;
      assertThat(run(replyTo -> new Reserve(id, 100, "s", "a", null, replyTo)).reply()).isInstanceOf(Insufficient.class);
    }
    var retry = run(replyTo -> new Commit("paid", 5, List.of(new CostLine("llm_reply", 5)), null, replyTo));

    assertThat(retry.hasNoEvents()).isTrue();
    assertThat(retry.reply()).isEqualTo(new Committed("paid", 5, 0));
    assertThat(kit.getState().settled()).hasSizeLessThanOrEqualTo(OrgEntity.SETTLED_RESERVATIONS_KEPT);
  }

  @Test
  void recoversItsLedgerAfterARestart() {
    open("agency");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 2000, replyTo));
    reserve("r1", 5);
    commit("r1", 1);
    reserve("r2", 7);

    var restarted = kit.restart();

    assertThat(restarted.state().balances()).isEqualTo(new Balances(0, 1992, 0));
    assertThat(restarted.state().openReservations()).containsOnlyKeys("r2");
    assertThat(commit("r1", 1)).isEqualTo(new Committed("r1", 1, 0));
    assertThat(balance().totals().committed()).isEqualTo(1);
  }

  private Reply lease(String id, long amount, long atLeast) {
    return run(replyTo -> new Reserve(id, amount, atLeast, "session-1", "agent-1", null, replyTo)).reply();
  }

  @Test
  void aLeaseTakesAtMostAHundredthOfWhatIsAvailableAndShrinksToTheTurnAsCreditsRunLow() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10_000, replyTo));

    Reserved full = (Reserved) lease("lease-1", 60, 3);
    Reserved share = (Reserved) lease("lease-2", 200, 3);
    Reserved another = (Reserved) lease("lease-3", 200, 3);

    assertThat(full.amount()).isEqualTo(60); // 10,000 available: a hundredth is 100, more than asked
    assertThat(share.amount()).isEqualTo(99); // 9,940 available: a hundredth
    assertThat(another.amount()).isEqualTo(98); // 9,841 available: a hundredth
    assertThat(balance().available()).isEqualTo(10_000 - 60 - 99 - 98);
    assertThat(balance().reserved()).isEqualTo(60 + 99 + 98);
    assertThat(full.open()).isTrue();

    commit("lease-1", 10_000 - 99 - 98 - 10); // the lease overspends into the buckets: 10 left
    Reserved small = (Reserved) lease("lease-4", 200, 3);
    assertThat(small.amount()).isEqualTo(3); // a hundredth of 10 is less than the turn: the turn's own estimate
  }

  @Test
  void creditsHeldByOtherTurnsAndLeasesAskTheTurnToWaitAndOnlyWhatNothingCouldCoverIsRefused() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 100, replyTo));
    lease("lease-1", 60, 3);
    reserve("turn-1", 94); // 3 + 94 held of 100: 3 left

    var held = run(replyTo -> new Reserve("turn-2", 5, "session-2", "agent-1", null, replyTo));
    assertThat(held.reply()).isEqualTo(new CreditsHeld("turn-2", 3, 97));
    assertThat(held.hasNoEvents()).as("nothing is recorded: asked again, it is decided again").isTrue();
    assertThat(reserve("turn-3", 101)).isEqualTo(new Insufficient("turn-3", 3));

    commit("lease-1", 1);
    commit("turn-1", 10);
    assertThat(reserve("turn-2", 5)).isInstanceOf(Reserved.class);
  }

  @Test
  void aLeaseAskedForAgainIsTheSameAndOnceCommittedIsNoLongerOpen() {
    open("pro");
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 10_000, replyTo));
    Reserved granted = (Reserved) lease("lease-1", 60, 3);

    assertThat(lease("lease-1", 60, 3)).isEqualTo(granted);
    commit("lease-1", 12);
    assertThat(lease("lease-1", 60, 3)).isEqualTo(new Reserved("lease-1", 60, granted.expiresAt(), false));
    assertThat(commit("lease-1", 12)).isEqualTo(new Committed("lease-1", 12, 0));
    assertThat(balance().available()).isEqualTo(10_000 - 12);
  }

  @Test
  void anUnlimitedTierGrantsTheWholeLeaseAndAnAtLeastAboveTheAmountIsRefused() {
    open("enterprise");
    assertThat(((Reserved) lease("lease-1", 60, 3)).amount()).isEqualTo(60);
    assertThat(lease("lease-2", 60, 61)).isEqualTo(new Rejected(Reason.INVALID, "atLeast must be between 0 and the amount 60"));
  }
}
