package io.layercake.persistence.testing;

import io.layercake.config.DatabaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The databases the persistence tests run on: both dialects are first-class. */
public enum TestDatabases {
  H2 {
    @Override
    public DatabaseSettings fresh(ExtensionContext context, Path directory) {
      return DatabaseSettings.h2File(directory, 4);
    }
  },
  POSTGRES {
    @Override
    public DatabaseSettings fresh(ExtensionContext context, Path directory) {
      return EmbeddedPostgresServer.of(context).freshDatabase();
    }
  };

  /** A new, empty database; H2 keeps its files in {@code directory}. */
  public abstract DatabaseSettings fresh(ExtensionContext context, Path directory);
}
