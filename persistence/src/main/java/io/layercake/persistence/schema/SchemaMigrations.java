package io.layercake.persistence.schema;

import io.layercake.config.DatabaseDialect;
import io.layercake.config.DatabaseSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database's schema to the current version: the journal's tables, projection offsets
 * and the application's own tables, as versioned Flyway migrations per dialect. Runs before the
 * actor system touches the journal.
 */
public final class SchemaMigrations {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

  private SchemaMigrations() {}

  public static SchemaVersion migrate(DatabaseSettings database) {
    Flyway flyway =
        Flyway.configure(SchemaMigrations.class.getClassLoader())
            .dataSource(database.url(), database.user(), database.password().reveal())
            .locations("classpath:db/migration/" + directoryOf(database.dialect()))
            .failOnMissingLocations(true)
            .load();
    MigrateResult result = flyway.migrate();
    SchemaVersion version = new SchemaVersion(result.targetSchemaVersion != null
        ? result.targetSchemaVersion
        : flyway.info().current().getVersion().getVersion(), result.migrationsExecuted);
    log.info("Database schema at version {} ({} migrations applied now)", version.version(), version.appliedNow());
    return version;
  }

  private static String directoryOf(DatabaseDialect dialect) {
    return switch (dialect) {
      case H2 -> "h2";
      case POSTGRES -> "postgresql";
    };
  }

  /** The schema version after migrating, and how many migrations this start applied. */
  public record SchemaVersion(String version, int appliedNow) {}
}
