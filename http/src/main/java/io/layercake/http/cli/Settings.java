package io.layercake.http.cli;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.SettingsException;
import io.layercake.config.SettingsLoader;
import io.layercake.persistence.jdbc.H2FileServer;
import java.io.PrintWriter;
import java.util.Optional;

/** Loads this process's settings for a command; a bad one is reported in one line. */
final class Settings {
  static final int BAD_SETTINGS = 2;

  private Settings() {}

  /** The settings of a command that reads the database, possibly through a node that holds the H2 file. */
  static Optional<LayercakeSettings> loadBesideNode(PrintWriter err) {
    return load(err).map(settings -> settings.withDatabase(H2FileServer.reachable(settings.database())));
  }

  static Optional<LayercakeSettings> load(PrintWriter err) {
    try {
      return Optional.of(SettingsLoader.load());
    } catch (SettingsException e) {
      err.println("layercake: " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
  }
}
