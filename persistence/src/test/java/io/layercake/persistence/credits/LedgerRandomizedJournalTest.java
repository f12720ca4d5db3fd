package io.layercake.persistence.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded random interleavings of ledger commands, duplicates and entity restarts on the real
 * journal (H2 and PostgreSQL; snapshots every few events). After every step the ledger balances,
 * the test's own count of purchases and charges matches, duplicates change nothing, and a restart
 * recovers exactly the state it stopped with. The in-memory variant ({@code LedgerPropertyTest} in
 * the runtime) explores many more seeds.
 */
@ExtendWith(FreshDatabases.Extension.class)
class LedgerRandomizedJournalTest {
  private static final long[] SEEDS = {11, 23, 42};
  private static final int STEPS = 40;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theLedgerBalancesAcrossRestartsOnTheJournal(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 3);
    ActorTestKit testKit = ActorTestKit.create(TestNodes.migratedPekkoConfig(settings));
    try {
      for (long seed : SEEDS) {
        new Run(testKit, settings, seed).play();
      }
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static final class Run {
    private final ActorTestKit testKit;
    private final LayercakeSettings settings;
    private final Random random;
    private final String orgId;
    private final TestProbe<OrgEntity.Reply> probe;
    private final List<String> reservations = new ArrayList<>();
    private final Set<String> committed = new HashSet<>();
    private final List<String> purchaseKeys = new ArrayList<>();
    private ActorRef<OrgEntity.Command> org;
    private int monthlyPeriod;
    private long purchased;
    private long charged;

    Run(ActorTestKit testKit, LayercakeSettings settings, long seed) {
      this.testKit = testKit;
      this.settings = settings;
      this.random = new Random(seed);
      this.orgId = "random-" + seed;
      this.probe = testKit.createTestProbe();
      this.org = spawn();
      assertThat(ask(replyTo -> new OrgEntity.Open(orgId, "pro", null, replyTo))).isInstanceOf(OrgEntity.Accepted.class);
    }

    void play() {
      for (int step = 0; step < STEPS; step++) {
        switch (random.nextInt(8)) {
          case 0 -> ask(replyTo -> new OrgEntity.Grant(String.format("%04d-%02d", 2000 + monthlyPeriod / 12, monthlyPeriod++ % 12 + 1), Bucket.MONTHLY,
              random.nextInt(200), replyTo));
          case 1 -> purchase();
          case 2, 3 -> reserve();
          case 4 -> commit();
          case 5 -> release();
          case 6 -> duplicate();
          default -> restart();
        }
        checkInvariants(step);
      }
    }

    private void purchase() {
      String key = orgId + "-cs-" + purchaseKeys.size();
      long credits = 1 + random.nextInt(300);
      ask(replyTo -> new OrgEntity.AddPurchased(key, credits, replyTo));
      purchaseKeys.add(key);
      purchased += credits;
    }

    private void reserve() {
      String id = orgId + "-r" + reservations.size();
      OrgEntity.Reply reply = ask(replyTo -> new OrgEntity.Reserve(id, 1 + random.nextInt(100), "s", "a", null, replyTo));
      assertThat(reply).isInstanceOfAny(OrgEntity.Reserved.class, OrgEntity.Insufficient.class, OrgEntity.CreditsHeld.class);
      if (reply instanceof OrgEntity.CreditsHeld) {
        return; // nothing recorded: the id is free for the next reservation
      }
      reservations.add(id);
    }

    private void commit() {
      if (reservations.isEmpty()) {
        return;
      }
      String id = reservations.get(random.nextInt(reservations.size()));
      long cost = 1 + random.nextInt(120);
      OrgEntity.Reply reply = ask(replyTo -> new OrgEntity.Commit(id, cost, List.of(new CostLine("llm_reply", cost)), null, replyTo));
      if (reply instanceof OrgEntity.Committed done && committed.add(id)) {
        charged += done.charged();
      }
    }

    private void release() {
      if (!reservations.isEmpty()) {
        String id = reservations.get(random.nextInt(reservations.size()));
        ask(replyTo -> new OrgEntity.Release(id, null, replyTo));
      }
    }

    private void duplicate() {
      OrgEntity.Balance before = balance();
      if (!purchaseKeys.isEmpty()) {
        String key = purchaseKeys.get(random.nextInt(purchaseKeys.size()));
        ask(replyTo -> new OrgEntity.AddPurchased(key, 999, replyTo));
      }
      if (!reservations.isEmpty()) {
        String id = reservations.get(random.nextInt(reservations.size()));
        ask(replyTo -> new OrgEntity.Reserve(id, 1, "s", "a", null, replyTo));
        if (committed.contains(id)) {
          ask(replyTo -> new OrgEntity.Commit(id, 1, List.of(new CostLine("llm_reply", 1)), null, replyTo));
        }
      }
      assertThat(balance()).isEqualTo(before);
    }

    private void restart() {
      OrgEntity.Balance before = balance();
      testKit.stop(org);
      org = spawn();
      assertThat(balance()).isEqualTo(before);
    }

    private void checkInvariants(int step) {
      OrgEntity.Balance balance = balance();
      String where = orgId + " step " + step;
      assertThat(balance.totals().balances(balance.buckets().total(), balance.reserved())).as(where + ": " + balance).isTrue();
      assertThat(balance.totals().purchased()).as(where).isEqualTo(purchased);
      assertThat(balance.totals().committed()).as(where).isEqualTo(charged);
    }

    private OrgEntity.Balance balance() {
      return ((OrgEntity.CurrentBalance) ask(OrgEntity.GetBalance::new)).balance();
    }

    private OrgEntity.Reply ask(Function<ActorRef<OrgEntity.Reply>, OrgEntity.Command> command) {
      org.tell(command.apply(probe.ref()));
      return probe.receiveMessage();
    }

    private ActorRef<OrgEntity.Command> spawn() {
      return testKit.spawn(OrgEntity.create(orgId, TestNodes.orgDependencies(settings)));
    }
  }
}
