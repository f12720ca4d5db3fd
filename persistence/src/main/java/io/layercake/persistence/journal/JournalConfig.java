package io.layercake.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercake.config.DatabaseSettings;
import java.util.Map;

/** The Pekko configuration of the JDBC journal, snapshot store and projections for one database. */
public final class JournalConfig {
  private static final String SHARED_DB = "pekko-persistence-jdbc.shared-databases.layercake.";

  private JournalConfig() {}

  public static Config of(DatabaseSettings database) {
    String profile = switch (database.dialect()) {
      case H2 -> "slick.jdbc.H2Profile$";
      case POSTGRES -> "slick.jdbc.PostgresProfile$";
    };
    String projectionDialect = switch (database.dialect()) {
      case H2 -> "h2-dialect";
      case POSTGRES -> "postgres-dialect";
    };
    Config derived =
        ConfigFactory.parseMap(
            Map.of(
                SHARED_DB + "profile", profile,
                SHARED_DB + "db.url", database.url(),
                SHARED_DB + "db.user", database.user(),
                SHARED_DB + "db.password", database.password().reveal(),
                SHARED_DB + "db.driver", database.dialect().driverClassName(),
                // Slick wants as many threads as connections.
                SHARED_DB + "db.numThreads", database.poolSize(),
                SHARED_DB + "db.maxConnections", database.poolSize(),
                "pekko.projection.jdbc.dialect", projectionDialect,
                "pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size", database.appPoolSize(),
                "layercake-jdbc-dispatcher.thread-pool-executor.fixed-pool-size", database.appPoolSize()),
            "layercake database settings");
    return derived
        .withFallback(forDialect(database))
        .withFallback(ConfigFactory.parseResources(JournalConfig.class.getClassLoader(), "layercake-journal.conf"));
  }

  /**
   * On H2 the journal writes one batch at a time (the plugin's default is 8 at once). H2 writes every
   * commit to its file as a chunk of all the pages it changed, up to each table's root (~45 KB
   * whatever the commit's size), and concurrent commits wait for each other on its one store anyway;
   * with one write in flight the events that queue meanwhile go into the next write's transaction.
   * Measured in the closed loop: 0.78 → 0.46–0.47 chunks written per message (docs/benchmark.md).
   */
  private static Config forDialect(DatabaseSettings database) {
    return switch (database.dialect()) {
      case H2 -> ConfigFactory.parseMap(Map.of("jdbc-journal.parallelism", 1), "one journal write at a time on H2");
      case POSTGRES -> ConfigFactory.empty();
    };
  }
}
