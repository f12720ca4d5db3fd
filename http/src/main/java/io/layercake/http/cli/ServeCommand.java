package io.layercake.http.cli;

import io.layercake.config.LayercakeSettings;
import io.layercake.http.LayercakeNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs a node until SIGTERM. The default when no command is given. */
@Command(name = "serve", description = "Run a Layercake node (the default). SIGTERM stops it gracefully.")
public final class ServeCommand implements Callable<Integer> {
  static final int CANNOT_START = 1;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    long startedAt = System.nanoTime();
    Optional<LayercakeSettings> loaded = Settings.load(spec.commandLine().getErr());
    if (loaded.isEmpty()) {
      return Settings.BAD_SETTINGS;
    }
    LayercakeSettings settings = loaded.get();
    Logger log = LoggerFactory.getLogger(ServeCommand.class);
    try {
      LayercakeNode.start(settings, LayercakeNode.WhenStopped.EXIT_JVM);
      log.info("Layercake started in {} ms (database {}, data directory {})",
          Duration.ofNanos(System.nanoTime() - startedAt).toMillis(),
          settings.database().dialect(), settings.dataDir().toAbsolutePath().normalize());
      return 0;
    } catch (LayercakeNode.StartupException e) {
      log.debug("Start-up failed", e);
      spec.commandLine().getErr().println("layercake: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return CANNOT_START;
    }
  }
}
