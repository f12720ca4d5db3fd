package io.layercake.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercake.config.DatabaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalConfigTest {
  private static final String PARALLELISM = "jdbc-journal.parallelism";

  @Test
  void onH2TheJournalWritesOneBatchAtATimeAndOnPostgresThePluginsEight(@TempDir Path dir) {
    assertThat(effective(DatabaseSettings.h2File(dir, 4)).getInt(PARALLELISM))
        .as("events that queue behind a write share the next commit's chunk").isEqualTo(1);
    assertThat(effective(DatabaseSettings.postgres("jdbc:postgresql://127.0.0.1:5432/layercake", "layercake", "secret", 4))
        .getInt(PARALLELISM)).isEqualTo(8);
  }

  /** As the actor system sees it: ours over the plugins' reference.conf. */
  private static Config effective(DatabaseSettings database) {
    return JournalConfig.of(database).withFallback(ConfigFactory.defaultReference()).resolve();
  }
}
