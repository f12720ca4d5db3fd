package io.layercake.http.cli;

import io.layercake.runtime.session.ConversationTimeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a conversation's timeline from the configured database, as {@code GET /admin/conversations/{id}/timeline} shows it. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = io.layercake.http.BuildInfo.Version.class,
    name = "timeline",
    description = {
      "Print a conversation step by step: each event in words, and the conversation's status, owner and turn after it.",
      "Exits 1 when the journal has no such conversation."
    })
public final class TimelineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SESSION_ID", description = "The conversation's id (s-...).")
  String sessionId;

  @Option(names = "--json", description = "One JSON object per step, with its details and the state after it.")
  boolean json;

  @Override
  public Integer call() {
    return JournalCommands.run(spec.commandLine().getOut(), spec.commandLine().getErr(), "conversation " + sessionId,
        journal -> journal.timeline(sessionId),
        (ConversationTimeline.Step step) -> step.sequence() + "  " + step.at() + "  " + step.summary() + "  [" + step.after().status()
            + ", owner " + step.after().owner() + (step.after().turn() == null ? "" : ", turn " + step.after().turn() + " "
            + step.after().turnStage()) + "]", json);
  }
}
