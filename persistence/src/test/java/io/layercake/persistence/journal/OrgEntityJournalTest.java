package io.layercake.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.OrgEntity.Balance;
import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The org entity on the real JDBC journal and snapshot store, on H2 and on PostgreSQL. */
@ExtendWith(FreshDatabases.Extension.class)
class OrgEntityJournalTest {
  private static final String PERSISTENCE_ID = "Org|acme";

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void recoversFromTheJournalAfterItStopped(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    ActorTestKit testKit = ActorTestKit.create(TestNodes.migratedPekkoConfig(settings));
    try {
      TestProbe<OrgEntity.Reply> probe = testKit.createTestProbe();
      ActorRef<OrgEntity.Command> org = testKit.spawn(OrgEntity.create("acme", TestNodes.orgDependencies(settings)));
      org.tell(new OrgEntity.Open("Acme Plumbing", "pro", null, probe.ref()));
      org.tell(new OrgEntity.Grant("2026-11", Bucket.MONTHLY, 200, probe.ref()));
      org.tell(new OrgEntity.AddPurchased("cs_1", 100, probe.ref()));
      assertThat(probe.receiveSeveralMessages(3)).noneMatch(OrgEntity.Rejected.class::isInstance);
      testKit.stop(org);

      ActorRef<OrgEntity.Command> recovered = testKit.spawn(OrgEntity.create("acme", TestNodes.orgDependencies(settings)));
      recovered.tell(new OrgEntity.GetBalance(probe.ref()));

      Balance balance = ((OrgEntity.CurrentBalance) probe.receiveMessage()).balance();
      assertThat(balance.buckets()).isEqualTo(new Balances(0, 200, 100));
      assertThat(balance.totals().purchased()).isEqualTo(100);
      assertThat(Sql.longs(settings.database(),
              "SELECT sequence_number FROM event_journal WHERE persistence_id = ? ORDER BY sequence_number", PERSISTENCE_ID))
          .containsExactly(1L, 2L, 3L);
    } finally {
      testKit.shutdownTestKit();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void recoversFromASnapshotPlusTheEventsAfterIt(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 3);
    DatabaseSettings database = settings.database();
    ActorTestKit testKit = ActorTestKit.create(TestNodes.migratedPekkoConfig(settings));
    try {
      TestProbe<OrgEntity.Reply> probe = testKit.createTestProbe();
      ActorRef<OrgEntity.Command> org = testKit.spawn(OrgEntity.create("acme", TestNodes.orgDependencies(settings)));
      org.tell(new OrgEntity.Open("Acme Plumbing", "agency", null, probe.ref()));
      for (int month = 1; month <= 4; month++) {
        org.tell(new OrgEntity.Grant("2026-0" + month, Bucket.MONTHLY, 10 * month, probe.ref()));
      }
      assertThat(probe.receiveSeveralMessages(5)).noneMatch(OrgEntity.Rejected.class::isInstance);
      testKit.stop(org);
      assertThat(Sql.longs(database, "SELECT sequence_number FROM snapshot WHERE persistence_id = ?", PERSISTENCE_ID))
          .containsExactly(3L);

      // Without the events the snapshot covers, only snapshot + later events can give the full balance.
      assertThat(Sql.update(database, "DELETE FROM event_journal WHERE persistence_id = ? AND sequence_number <= 3", PERSISTENCE_ID))
          .isEqualTo(3);
      ActorRef<OrgEntity.Command> recovered = testKit.spawn(OrgEntity.create("acme", TestNodes.orgDependencies(settings)));
      recovered.tell(new OrgEntity.GetBalance(probe.ref()));

      Balance balance = ((OrgEntity.CurrentBalance) probe.receiveMessage()).balance();
      assertThat(balance.buckets()).isEqualTo(new Balances(0, 40, 0));
      assertThat(balance.monthlyPeriod()).isEqualTo("2026-04");
      assertThat(balance.totals().granted()).isEqualTo(100);
      assertThat(balance.totals().expired()).isEqualTo(60);
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
