package io.layercake.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.credits.OrgEntity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of entities writing at once queue their writes; none fails. With the plugin's defaults a
 * burst overflowed the journal's 1,000-write buffer, and the failures opened the circuit breaker,
 * which then failed every write and recovery for 30 s (a 10,000-conversation burst on one
 * organization: conversations stopped mid-turn, replies went out twice).
 */
@ExtendWith(FreshDatabases.Extension.class)
class JournalBurstTest {
  private static final int ENTITIES = 5_000;

  @Test
  void aBurstOfWritesLargerThanThePluginsBufferIsWrittenWhole(FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(TestDatabases.H2, dir), 100);
    ActorTestKit testKit = ActorTestKit.create(TestNodes.migratedPekkoConfig(settings));
    try {
      TestProbe<OrgEntity.Reply> probe = testKit.createTestProbe();
      for (int i = 0; i < ENTITIES; i++) {
        testKit.spawn(OrgEntity.create("burst-" + i, TestNodes.orgDependencies(settings)))
            .tell(new OrgEntity.Open("Burst " + i, "pro", null, probe.ref()));
      }

      List<OrgEntity.Reply> replies = probe.receiveSeveralMessages(ENTITIES, Duration.ofSeconds(90));

      assertThat(replies).allMatch(OrgEntity.Accepted.class::isInstance);
      assertThat(Sql.longs(settings.database(), "SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE 'Org|burst-%'"))
          .containsExactly((long) ENTITIES);
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
