package io.layercake.http;

import io.layercake.http.cli.AuditLedgerCommand;
import io.layercake.http.cli.CommandErrors;
import io.layercake.http.cli.JournalCommand;
import io.layercake.http.cli.TimelineCommand;
import io.layercake.http.cli.ServeCommand;
import io.layercake.http.cli.StateCommand;
import io.layercake.persistence.jdbc.H2FileServer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The jar's entry point: {@code java -jar layercake.jar} runs a node; subcommands are operator
 * tools that read the configured database.
 */
@Command(
    name = "layercake",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfo.Version.class,
    description = "Layercake: the runtime for AI agents that talk to real customers.",
    subcommands = {ServeCommand.class, AuditLedgerCommand.class, JournalCommand.class, TimelineCommand.class, StateCommand.class})
public final class Main implements Callable<Integer> {
  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "On an error, print its stack trace too.")
  boolean verbose;

  @Override
  public Integer call() {
    return new CommandLine(new ServeCommand()).execute();
  }

  /** The command line with its error handling: one line per error, the stack trace only with {@code --verbose}. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setExecutionExceptionHandler(new CommandErrors());
  }

  public static void main(String[] args) {
    H2FileServer.keepOnLoopback();
    CommandLine commandLine = commandLine();
    int exitCode = commandLine.execute(args);
    boolean serving = exitCode == 0 && (args.length == 0 || args[0].equals("serve"));
    if (!serving) {
      System.exit(exitCode);
    }
  }
}
