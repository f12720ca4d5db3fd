package io.layercake.http.cli;

import ch.qos.logback.classic.Level;
import com.typesafe.config.ConfigFactory;
import io.layercake.config.LayercakeSettings;
import io.layercake.http.server.Json;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.journal.JournalInspector;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.LoggerFactory;

/**
 * What the journal commands share: settings, a local actor system reading the configured database
 * through the persistence query API, exit codes (0 found, 1 nothing for that id, 2 bad settings,
 * 3 unreadable database).
 */
final class JournalCommands {
  static final int NOT_FOUND = 1;
  static final int UNREADABLE = 3;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private JournalCommands() {}

  /**
   * A local actor system that reads the configured database through the persistence query API,
   * quiet below WARN so the command's own output stands alone.
   */
  static ActorSystem<Void> readingSystem(LayercakeSettings settings) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    return ActorSystem.create(Behaviors.empty(), "layercake-cli", ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "local",
            "pekko.loglevel", "WARNING",
            "pekko.coordinated-shutdown.exit-jvm", "off"))
        .withFallback(NodeConfig.pekkoConfig(settings)));
  }

  /** Runs {@code query} against the journal and prints what it returns, one item per line. */
  static <T> int run(PrintWriter out, PrintWriter err, String what, Function<JournalInspector, java.util.concurrent.CompletionStage<List<T>>> query,
      Function<T, String> text, boolean json) {
    Optional<LayercakeSettings> loaded = Settings.loadBesideNode(err);
    if (loaded.isEmpty()) {
      return Settings.BAD_SETTINGS;
    }
    ActorSystem<Void> system = readingSystem(loaded.get());
    try {
      ApplicationDatabase database = ApplicationDatabase.start(system, loaded.get().database());
      List<T> items = query.apply(new JournalInspector(system, database)).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (items.isEmpty()) {
        err.println("layercake: nothing in the journal for " + what);
        return NOT_FOUND;
      }
      items.forEach(item -> out.println(json ? Json.write(item) : text.apply(item)));
      return 0;
    } catch (Exception e) {
      err.println("layercake: could not read the journal: " + rootMessage(e));
      return UNREADABLE;
    } finally {
      out.flush();
      err.flush();
      system.terminate();
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
