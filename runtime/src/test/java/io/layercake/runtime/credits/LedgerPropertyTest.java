package io.layercake.runtime.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.ManualClock;
import io.layercake.runtime.TestSettings;
import io.layercake.runtime.credits.OrgEntity.Command;
import io.layercake.runtime.credits.OrgEntity.Committed;
import io.layercake.runtime.credits.OrgEntity.Event;
import io.layercake.runtime.credits.OrgEntity.Reply;
import io.layercake.runtime.credits.OrgEntity.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random interleavings of every ledger command, duplicates and restarts (seeded, so a failure
 * names its seed and replays). After every step the ledger balances, no bucket is negative, what
 * the test itself counted as granted, bought and charged matches the ledger's totals, and a
 * duplicate never persists anything.
 */
class LedgerPropertyTest {
  private static final int SEEDS = 60;
  private static final int STEPS = 80;
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static Stream<Long> seeds() {
    return Stream.iterate(1L, seed -> seed + 1).limit(SEEDS);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theLedgerAlwaysBalances(long seed) {
    new Run(seed).play();
  }

  /** One seeded run and what the test counted along the way. */
  private static final class Run {
    private final Random random;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final EventSourcedBehaviorTestKit<Command, Event, State> kit;
    private final List<String> reservationIds = new ArrayList<>();
    private final Set<String> committedIds = new HashSet<>();
    private final List<String> purchaseKeys = new ArrayList<>();
    private final Map<Bucket, Integer> periods = new HashMap<>(Map.of(Bucket.DAILY, -1, Bucket.MONTHLY, -1));
    private long granted;
    private long purchased;
    private long charged;

    Run(long seed) {
      this.random = new Random(seed);
      String tier = List.of("free", "pro", "agency", "enterprise").get(random.nextInt(4));
      this.kit = EventSourcedBehaviorTestKit.create(
          testKit.system(),
          OrgEntity.create("org-" + seed, TestSettings.orgDependencies(1 + random.nextInt(10), id -> null, clock)));
      kit.clear();
      Reply opened = run(replyTo -> new OrgEntity.Open("Org " + seed, tier, null, replyTo)).reply();
      assertThat(opened).as("seed %d", seed).isInstanceOf(OrgEntity.Accepted.class);
    }

    void play() {
      for (int step = 0; step < STEPS; step++) {
        step();
        checkInvariants(step);
      }
    }

    private void step() {
      switch (random.nextInt(11)) {
        case 0 -> grant();
        case 1 -> purchase();
        case 2, 3, 4 -> reserve();
        case 5, 6 -> commit();
        case 7 -> release();
        case 8 -> expire();
        case 9 -> duplicate();
        default -> restart();
      }
    }

    private void grant() {
      Bucket bucket = random.nextBoolean() ? Bucket.DAILY : Bucket.MONTHLY;
      int period = Math.max(0, periods.get(bucket) + random.nextInt(2) - (random.nextInt(4) == 0 ? 1 : 0));
      long amount = random.nextInt(300);
      var result = run(replyTo -> new OrgEntity.Grant(periodKey(bucket, period), bucket, amount, replyTo));
      if (period > periods.get(bucket)) {
        periods.put(bucket, period);
        granted += amount;
        assertThat(result.events()).hasSize(1);
      } else {
        assertThat(result.hasNoEvents()).as("a grant for the current or an older period").isTrue();
      }
    }

    private void purchase() {
      String key = "cs_" + purchaseKeys.size();
      long credits = 1 + random.nextInt(500);
      run(replyTo -> new OrgEntity.AddPurchased(key, credits, replyTo));
      purchaseKeys.add(key);
      purchased += credits;
    }

    private void reserve() {
      String id = "r" + reservationIds.size();
      long amount = 1 + random.nextInt(120);
      Reply reply = run(replyTo -> new OrgEntity.Reserve(id, amount, "session-" + random.nextInt(5), "agent-1", null, replyTo)).reply();
      assertThat(reply).isInstanceOfAny(OrgEntity.Reserved.class, OrgEntity.Insufficient.class, OrgEntity.CreditsHeld.class);
      if (reply instanceof OrgEntity.CreditsHeld) {
        return; // nothing recorded: the id is free for the next reservation
      }
      reservationIds.add(id);
    }

    private void commit() {
      if (reservationIds.isEmpty()) {
        return;
      }
      String id = pick(reservationIds);
      long cost = random.nextInt(150);
      List<CostLine> breakdown = cost == 0 ? List.of() : List.of(new CostLine("llm_reply", cost));
      var result = run(replyTo -> new OrgEntity.Commit(id, cost, breakdown, null, replyTo));
      if (result.reply() instanceof Committed committed) {
        if (committedIds.add(id)) {
          charged += committed.charged();
        } else {
          assertThat(result.hasNoEvents()).as("a repeated commit of %s", id).isTrue();
        }
      }
    }

    private void release() {
      if (!reservationIds.isEmpty()) {
        String id = pick(reservationIds);
        run(replyTo -> new OrgEntity.Release(id, null, replyTo));
      }
    }

    private void expire() {
      clock.advance(Duration.ofMinutes(random.nextInt(8)));
      if (!reservationIds.isEmpty()) {
        kit.runCommand(new OrgEntity.ExpireReservation(pick(reservationIds)));
      }
    }

    /** Repeats something already applied: it must not persist anything. */
    private void duplicate() {
      State before = kit.getState();
      if (!purchaseKeys.isEmpty() && random.nextBoolean()) {
        String key = pick(purchaseKeys);
        assertThat(run(replyTo -> new OrgEntity.AddPurchased(key, 7, replyTo)).hasNoEvents()).isTrue();
      } else if (!reservationIds.isEmpty()) {
        String id = pick(reservationIds);
        if (before.openReservations().containsKey(id) || before.settled().containsKey(id)) {
          assertThat(run(replyTo -> new OrgEntity.Reserve(id, 1, "s", "a", null, replyTo)).hasNoEvents()).isTrue();
        }
      }
      assertThat(kit.getState()).isEqualTo(before);
    }

    /**
     * Recovery schedules the expiry of overdue reservations at once; those are expired first, so
     * the comparison does not race with that timer (the journal tests cover expiry after a restart).
     */
    private void restart() {
      kit.getState().openReservations().values().stream()
          .filter(reservation -> !clock.instant().isBefore(reservation.expiresAt()))
          .map(Reservation::reservationId)
          .toList()
          .forEach(id -> kit.runCommand(new OrgEntity.ExpireReservation(id)));
      State before = kit.getState();
      assertThat(kit.restart().state()).isEqualTo(before);
    }

    private void checkInvariants(int step) {
      State state = kit.getState();
      LedgerTotals totals = state.totals();
      String where = "step " + step;
      assertThat(totals.balances(state.balances().total(), state.reserved())).as(where + ": " + state).isTrue();
      assertThat(state.reserved()).as(where).isNotNegative();
      assertThat(totals.granted()).as(where + ": granted").isEqualTo(granted);
      assertThat(totals.purchased()).as(where + ": purchased").isEqualTo(purchased);
      assertThat(totals.committed()).as(where + ": charged").isEqualTo(charged);
    }

    private CommandResultWithReply<Command, Event, State, Reply> run(Function<ActorRef<Reply>, Command> command) {
      return kit.runCommand(command::apply);
    }

    private <T> T pick(List<T> values) {
      return values.get(random.nextInt(values.size()));
    }

    /** Period n as a real period key: months from 2000-01, days from 2000-01-01 (28 a month keeps them valid). */
    private static String periodKey(Bucket bucket, int period) {
      return bucket == Bucket.DAILY
          ? String.format("%04d-%02d-%02d", 2000 + period / (12 * 28), period / 28 % 12 + 1, period % 28 + 1)
          : String.format("%04d-%02d", 2000 + period / 12, period % 12 + 1);
    }
  }
}
