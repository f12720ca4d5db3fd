package io.layercake.persistence.setup;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.setup.SetupDirectory.SetupEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Started setups on H2 and PostgreSQL: newest first, per organization, recorded once, connected to an agent. */
@ExtendWith(FreshDatabases.Extension.class)
class JdbcSetupDirectoryTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void listsAnOrganizationsSetupsNewestFirst(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      JdbcSetupDirectory setups = new JdbcSetupDirectory(ApplicationDatabase.start(testKit.system(), settings.database()));
      join(setups.started("set_1", "org-a", "Maria", T0));
      join(setups.started("set_2", "org-a", "Tom", T0.plusSeconds(60)));
      join(setups.started("set_3", "org-b", "Ann", T0));
      join(setups.started("set_1", "org-a", "Maria again", T0.plusSeconds(120)));
      join(setups.connected("set_1", "piet-bot"));

      List<SetupEntry> orgA = join(setups.of(List.of("org-a")));
      assertThat(orgA).extracting(SetupEntry::setupId).containsExactly("set_2", "set_1");
      assertThat(orgA.get(1)).isEqualTo(new SetupEntry("set_1", "org-a", "Maria", T0, "piet-bot"));
      assertThat(join(setups.of(List.of("org-a", "org-b")))).hasSize(3);
      assertThat(join(setups.of(List.of()))).isEmpty();
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
