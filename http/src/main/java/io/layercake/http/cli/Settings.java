package io.layercake.http.cli;

import io.layercake.config.UnknownVariables;
import java.nio.file.Files;
import java.nio.file.Path;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.SettingsException;
import io.layercake.config.SettingsLoader;
import io.layercake.persistence.jdbc.H2FileServer;
import java.io.PrintWriter;
import java.util.Optional;

/** Loads this process's settings for a command; a bad one is reported in one line. */
final class Settings {
  static final int BAD_SETTINGS = 2;
  private static final String H2_FILE = "layercake.mv.db";

  private Settings() {}

  /**
   * The settings of a command that reads the database, possibly through a node that holds the H2
   * file. An embedded database that is not there is an error: reading would create an empty one.
   */
  static Optional<LayercakeSettings> loadBesideNode(PrintWriter err) {
    return load(err).flatMap(settings -> {
      Path file = settings.dataDir().resolve(H2_FILE).toAbsolutePath().normalize();
      if (settings.database().url().startsWith("jdbc:h2:file:") && !Files.exists(file)) {
        err.println("layercake: no Layercake database in " + file.getParent() + " (no " + H2_FILE
            + "); set LAYERCAKE_DATA_DIR to the server's data directory");
        err.flush();
        return Optional.empty();
      }
      return Optional.of(settings.withDatabase(H2FileServer.reachable(settings.database())));
    });
  }

  static Optional<LayercakeSettings> load(PrintWriter err) {
    UnknownVariables.in(System.getenv()).forEach(warning -> err.println("layercake: warning: " + warning));
    err.flush();
    try {
      return Optional.of(SettingsLoader.load());
    } catch (SettingsException e) {
      err.println("layercake: " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
  }
}
