package io.layercake.http.cli;

import io.layercake.config.LayercakeSettings;
import io.layercake.http.admin.AuditView;
import io.layercake.http.server.Json;
import io.layercake.persistence.credits.JournalLedgerAudit;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.credits.ConversationChargeCheck;
import io.layercake.runtime.credits.LedgerAudit;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Replays every organization's events from the configured database and checks its ledger.
 * Exit code 0 when clean, 1 when an organization breaks it, 2 for bad settings, 3 when the
 * database cannot be read.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = io.layercake.http.BuildInfo.Version.class,
    name = "audit-ledger",
    description = {
      "Check every organization's credit ledger in the journal: granted + purchased = balance + committed"
          + " + open reservations + expired, and no bucket ever below zero.",
      "Exits 1 and lists the organizations that break it. Reads the configured database directly,"
          + " also while a node runs on it."
    })
public final class AuditLedgerCommand implements Callable<Integer> {
  static final int VIOLATIONS = 1;
  static final int UNREADABLE = 3;
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object per line: each violation, then the summary.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<LayercakeSettings> loaded = Settings.loadBesideNode(err);
    if (loaded.isEmpty()) {
      return Settings.BAD_SETTINGS;
    }
    ActorSystem<Void> system = JournalCommands.readingSystem(loaded.get());
    try {
      AuditView report = AuditView.of(
          new JournalLedgerAudit(system, ApplicationDatabase.start(system, loaded.get().database())).run().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      print(report, out);
      return report.clean() ? 0 : VIOLATIONS;
    } catch (Exception e) {
      err.println("layercake: could not read the journal: " + rootMessage(e));
      return UNREADABLE;
    } finally {
      out.flush();
      err.flush();
      system.terminate();
    }
  }

  private void print(AuditView report, PrintWriter out) {
    for (LedgerAudit.Finding finding : report.violations()) {
      if (json) {
        out.println(Json.write(finding));
      } else {
        out.println("organization " + finding.orgId() + ":");
        finding.problems().forEach(problem -> out.println("  " + problem));
      }
    }
    for (ConversationChargeCheck.Difference difference : report.chargeDifferences()) {
      out.println(json ? Json.write(difference) : "conversation " + difference.sessionId() + " (organization "
          + difference.orgId() + ") records " + difference.recorded() + " credits used; the ledger charged it "
          + difference.charged());
    }
    if (json) {
      out.println(Json.write(Map.of("clean", report.clean(), "organizations", report.organizations(),
          "violations", report.violations().size(), "conversationsCompared", report.conversationsCompared(),
          "conversationsPending", report.conversationsPending(), "chargeDifferences", report.chargeDifferences().size())));
    } else if (report.clean()) {
      out.println("Checked " + report.organizations() + " organization(s): the ledger is clean; "
          + report.conversationsCompared() + " conversation(s) recorded what the ledger charged them ("
          + report.conversationsPending() + " still hold credits and were not compared).");
    } else {
      out.println(report.violations().size() + " of " + report.organizations() + " organization(s) break the ledger; "
          + report.chargeDifferences().size() + " of " + report.conversationsCompared()
          + " conversation(s) recorded charges that differ from the ledger's.");
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
