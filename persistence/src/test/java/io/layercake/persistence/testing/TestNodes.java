package io.layercake.persistence.testing;

import com.typesafe.config.Config;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.SettingsLoader;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.runtime.credits.OrgEntity;
import java.time.Clock;
import java.nio.file.Path;
import java.util.Map;

/** Settings and Pekko configuration for a node under test: a free cluster port and the given database. */
public final class TestNodes {
  private TestNodes() {}

  public static LayercakeSettings settings(Path dataDir, DatabaseSettings database, int snapshotEvery) {
    return SettingsLoader.load(
            Map.of(
                "LAYERCAKE_DATA_DIR", dataDir.toString(),
                "LAYERCAKE_HTTP_PORT", "0",
                "LAYERCAKE_CLUSTER_PORT", "0",
                "LAYERCAKE_CLUSTER_MANAGEMENT_PORT", "0",
                "LAYERCAKE_ENTITIES_SNAPSHOT_EVERY", Integer.toString(snapshotEvery),
                "LAYERCAKE_DEMO_ENABLED", "false",
                // ~0.5 s of CPU per start, a hundred starts in the suite; SerializationRoundTripTest covers it
                "LAYERCAKE_ENTITIES_PREBUILD_JSON", "false",
                // a conversation's credit lease goes back a second after its last turn, so what the
                // ledger reports (usage, balances) settles within a test's patience
                "LAYERCAKE_SESSIONS_CREDIT_LEASE_IDLE", "1s"))
        .withDatabase(database);
  }

  /** What an org entity spawned outside sharding needs; it has no parent to reach. */
  public static OrgEntity.Dependencies orgDependencies(LayercakeSettings settings) {
    return new OrgEntity.Dependencies(
        settings.entities(), settings.credits(), settings.catalog(),
        orgId -> {
          throw new IllegalStateException("no sharding in this test");
        },
        Clock.systemUTC());
  }

  /**
   * Migrates the node's database and returns the configuration of its actor system. A node leaving
   * its cluster of one hands over shards and singletons; on a busy 2-core machine that can take
   * longer than the test kit's default 10 s. A log line a projection writes can take a few of its
   * polls, longer than LoggingTestKit's default 3 s.
   */
  public static Config migratedPekkoConfig(LayercakeSettings settings) {
    SchemaMigrations.migrate(settings.database());
    return com.typesafe.config.ConfigFactory.parseString("""
            pekko.actor.testkit.typed.system-shutdown-default = 30s
            pekko.actor.testkit.typed.filter-leeway = 20s
            """)
        .withFallback(NodeConfig.pekkoConfig(settings));
  }
}
