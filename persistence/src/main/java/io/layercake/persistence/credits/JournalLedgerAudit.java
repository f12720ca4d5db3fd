package io.layercake.persistence.credits;

import io.layercake.runtime.credits.LedgerAudit;
import io.layercake.runtime.credits.OrgEntity;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/** Runs the {@link LedgerAudit} over every organization in the journal. Works on H2 and PostgreSQL. */
public final class JournalLedgerAudit {
  private static final String PREFIX = OrgEntity.TYPE_KEY.name() + "|";
  private static final int PARALLELISM = 4;

  private final ActorSystem<?> system;
  private final JdbcReadJournal readJournal;

  public JournalLedgerAudit(ActorSystem<?> system) {
    this.system = system;
    this.readJournal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  public CompletionStage<Report> run() {
    return readJournal.currentPersistenceIds()
        .filter(persistenceId -> persistenceId.startsWith(PREFIX))
        .mapAsync(PARALLELISM, this::audit)
        .runWith(Sink.seq(), system)
        .thenApplyAsync(Report::of, system.executionContext());
  }

  private CompletionStage<LedgerAudit.Finding> audit(String persistenceId) {
    String orgId = persistenceId.substring(PREFIX.length());
    return readJournal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .runFold(new LedgerAudit(orgId), (audit, envelope) -> audit.add((OrgEntity.Event) envelope.event()), system)
        .thenApplyAsync(LedgerAudit::finish, system.executionContext());
  }

  /** How many organizations were checked and which broke the ledger's rules. */
  public record Report(int organizations, List<LedgerAudit.Finding> violations) {
    static Report of(List<LedgerAudit.Finding> findings) {
      return new Report(findings.size(), findings.stream().filter(finding -> !finding.clean()).toList());
    }

    public boolean clean() {
      return violations.isEmpty();
    }
  }
}
