package io.layercake.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.credits.OrgEntity;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal and the snapshot store run on the default dispatcher, not on a thread each of their own:
 * pekko-persistence-jdbc 1.1.1's reference.conf sets their {@code plugin-dispatcher} one level too deep
 * (inside {@code tables}), so without our setting Pekko gave both its pinned fallback dispatcher.
 */
@ExtendWith(FreshDatabases.Extension.class)
class JournalDispatcherTest {
  private static final String PINNED_FALLBACK = "pekko.persistence.dispatchers.default-plugin-dispatcher";

  @Test
  void theJournalWritesWithoutAThreadOfItsOwn(FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(TestDatabases.H2, dir), 4);
    ActorTestKit testKit = ActorTestKit.create(TestNodes.migratedPekkoConfig(settings));
    try {
      TestProbe<OrgEntity.Reply> probe = testKit.createTestProbe();
      testKit.spawn(OrgEntity.create("dispatcher", TestNodes.orgDependencies(settings)))
          .tell(new OrgEntity.Open("Dispatcher", "pro", null, probe.ref()));

      assertThat(probe.receiveMessage(Duration.ofSeconds(30))).isInstanceOf(OrgEntity.Accepted.class);
      assertThat(Thread.getAllStackTraces().keySet())
          .extracting(Thread::getName)
          .isNotEmpty()
          .noneMatch(name -> name.contains(PINNED_FALLBACK));
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
