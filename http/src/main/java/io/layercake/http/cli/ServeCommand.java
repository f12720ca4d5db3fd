package io.layercake.http.cli;

import io.layercake.config.LayercakeSettings;
import io.layercake.http.LayercakeNode;
import io.layercake.http.demo.DemoSeed;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs a node until SIGTERM. The default when no command is given. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = io.layercake.http.BuildInfo.Version.class, description = "Run a Layercake node (the default). SIGTERM stops it gracefully.")
public final class ServeCommand implements Callable<Integer> {
  static final int CANNOT_START = 1;
  /** Another process listens on the configured port: a distinct code, so scripts can tell. */
  static final int PORT_IN_USE = 3;

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
      LayercakeNode node = LayercakeNode.start(settings, LayercakeNode.WhenStopped.EXIT_JVM);
      log.info("Layercake started in {} ms (database {}, data directory {})",
          Duration.ofNanos(System.nanoTime() - startedAt).toMillis(),
          settings.database().dialect(), settings.dataDir().toAbsolutePath().normalize());
      node.demo().ifPresent(demo -> announce(demo, node));
      node.bootstrapLink().ifPresent(link -> announce(settings.people().bootstrapOwnerEmail(), link));
      return 0;
    } catch (LayercakeNode.StartupException e) {
      log.debug("Start-up failed", e);
      spec.commandLine().getErr().println("layercake: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return e.portInUse() ? PORT_IN_USE : CANNOT_START;
    }
  }

  /**
   * The demo's sign-in links and API key go to the console once, past the logger: logs never carry
   * secrets, and these exist only on a first start with the demo enabled.
   */
  private void announce(DemoSeed.Seeded demo, LayercakeNode node) {
    String base = "http://" + node.address().getHostString() + ":" + node.address().getPort();
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.println("  Demo ready. Chat with the demo agent: " + base + "/");
    out.println("  Watch the conversations:             " + base + "/app/inbox");
    for (DemoSeed.FirstSignIn person : demo.signIns()) {
      out.println("  Sign in as the " + person.who() + " (" + person.email() + "), link valid 15 minutes:");
      out.println("    " + person.link());
    }
    out.println("  API key for scripts (shown only now):  " + demo.apiKey());
    out.println("  Later sign-ins: ask for a link at " + base + "/app/sign-in; without SMTP it lands in <data-dir>/mail/*.eml");
    out.println();
    out.flush();
  }

  private void announce(String email, String link) {
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.println("  First platform admin " + email + ": sign in with (valid 15 minutes, shown only now)");
    out.println("    " + link);
    out.println();
    out.flush();
  }
}
