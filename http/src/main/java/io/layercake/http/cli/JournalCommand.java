package io.layercake.http.cli;

import io.layercake.http.server.Json;
import io.layercake.persistence.journal.JournalInspector;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints an entity's events from the configured database, as {@code GET /admin/journal/{id}} shows them. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = io.layercake.http.BuildInfo.Version.class,
    name = "journal",
    description = {
      "Print an entity's events: sequence number, time, type, tags and JSON payload.",
      "The persistence id is the entity type and id, such as Org|acme, Agent|piet-bot or Session|s-... ."
          + " Exits 1 when the journal has nothing for it."
    })
public final class JournalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PERSISTENCE_ID", description = "Such as Org|acme.")
  String persistenceId;

  @Option(names = "--json", description = "One JSON object per event.")
  boolean json;

  @Override
  public Integer call() {
    return JournalCommands.run(spec.commandLine().getOut(), spec.commandLine().getErr(), persistenceId,
        journal -> journal.events(persistenceId, 0L, Long.MAX_VALUE),
        (JournalInspector.JournalEvent event) -> event.sequenceNumber() + "  " + event.timestamp() + "  " + event.type() + "  "
            + event.tags() + "  " + Json.write(event.payload()), json);
  }
}
