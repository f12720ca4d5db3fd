package io.layercake.http.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.http.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line tells its version (from the build) and explains every subcommand. */
class CommandLineTest {
  @Test
  void versionComesFromTheBuild() {
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("--version");

    assertThat(exit).isZero();
    assertThat(out.toString().strip()).matches("layercake \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @CommandLine.Command(name = "failing")
  static final class Failing implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Option(names = "--verbose")
    boolean verbose;

    @Override
    public Integer call() {
      throw new IllegalStateException("the journal is unreadable");
    }
  }

  @Test
  void anUnexpectedErrorIsOneLineAndItsTraceOnlyWithVerbose() {
    StringWriter quiet = new StringWriter();
    StringWriter verbose = new StringWriter();

    int exit = new CommandLine(new Failing()).setErr(new PrintWriter(quiet)).setExecutionExceptionHandler(new CommandErrors()).execute();
    new CommandLine(new Failing()).setErr(new PrintWriter(verbose)).setExecutionExceptionHandler(new CommandErrors()).execute("--verbose");

    assertThat(exit).isEqualTo(1);
    assertThat(quiet.toString()).startsWith("layercake: the journal is unreadable").contains("--verbose").doesNotContain("\tat ");
    assertThat(verbose.toString()).contains("IllegalStateException: the journal is unreadable", "\tat ");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String subcommand : List.of("serve", "audit-ledger", "journal", "timeline", "state")) {
      StringWriter out = new StringWriter();
      int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute(subcommand, "--help");

      assertThat(exit).as(subcommand).isZero();
      assertThat(out.toString()).as(subcommand).contains("Usage: layercake " + subcommand).contains("--help", "--version");
    }
  }
}
