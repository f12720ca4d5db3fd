package io.layercake.persistence.testing;

import io.layercake.config.DatabaseDialect;
import io.layercake.config.DatabaseSettings;
import org.flywaydb.core.Flyway;

/** A database migrated only up to an older schema version: data written there meets the migrations after it. */
public final class OlderSchemas {
  private OlderSchemas() {}

  public static void migrateUpTo(DatabaseSettings database, String version) {
    Flyway.configure(OlderSchemas.class.getClassLoader())
        .dataSource(database.url(), database.user(), database.password().reveal())
        .locations("classpath:db/migration/" + (database.dialect() == DatabaseDialect.H2 ? "h2" : "postgresql"))
        .target(version)
        .load()
        .migrate();
  }
}
