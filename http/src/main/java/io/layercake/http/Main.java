package io.layercake.http;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.SettingsException;
import io.layercake.config.SettingsLoader;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a Layercake node with the settings of this process. SIGTERM stops it gracefully. */
public final class Main {
  static final int BAD_SETTINGS = 2;
  static final int CANNOT_START = 1;

  private Main() {}

  public static void main(String[] args) {
    long startedAt = System.nanoTime();
    LayercakeSettings settings;
    try {
      settings = SettingsLoader.load();
    } catch (SettingsException e) {
      System.err.println("layercake: " + e.getMessage());
      System.exit(BAD_SETTINGS);
      return;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    try {
      LayercakeNode.start(settings, LayercakeNode.WhenStopped.EXIT_JVM);
      log.info("Layercake started in {} ms (database {}, data directory {})",
          Duration.ofNanos(System.nanoTime() - startedAt).toMillis(),
          settings.database().dialect(), settings.dataDir().toAbsolutePath().normalize());
    } catch (LayercakeNode.StartupException e) {
      log.debug("Start-up failed", e);
      System.err.println("layercake: " + e.getMessage());
      System.exit(CANNOT_START);
    }
  }
}
