package io.layercake.http.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What the command line prints when a command fails unexpectedly: one line naming the error, and its
 * stack trace only with {@code --verbose} (operators read the line; developers ask for the trace).
 */
public final class CommandErrors implements IExecutionExceptionHandler {
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
    command.getErr().println("layercake: " + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()));
    if (parsed.expandedArgs().contains("--verbose")) {
      failure.printStackTrace(command.getErr());
    } else {
      command.getErr().println("layercake: run again with --verbose for the details");
    }
    command.getErr().flush();
    return FAILED;
  }
}
