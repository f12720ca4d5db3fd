package io.layercake.persistence.credits;

import static io.layercake.persistence.jdbc.Statements.query;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.credits.ConversationChargeCheck;
import io.layercake.runtime.credits.LedgerAudit;
import io.layercake.runtime.credits.OrgEntity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Runs the {@link LedgerAudit} over every organization in the journal, then cross-checks each
 * conversation's recorded {@code creditsUsed} (the conversations read model) against what the
 * ledger charged it ({@link ConversationChargeCheck}). Works on H2 and PostgreSQL.
 */
public final class JournalLedgerAudit {
  private static final String PREFIX = OrgEntity.TYPE_KEY.name() + "|";
  private static final int PARALLELISM = 4;

  private final ActorSystem<?> system;
  private final JdbcReadJournal readJournal;
  private final ApplicationDatabase database;

  public JournalLedgerAudit(ActorSystem<?> system, ApplicationDatabase database) {
    this.system = system;
    this.readJournal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.database = database;
  }

  public CompletionStage<Report> run() {
    return readJournal.currentPersistenceIds()
        .filter(persistenceId -> persistenceId.startsWith(PREFIX))
        .mapAsync(PARALLELISM, this::audit)
        .runWith(Sink.seq(), system)
        .thenComposeAsync(audits -> recordedCharges().thenApply(recorded -> Report.of(audits, recorded)),
            system.executionContext());
  }

  private CompletionStage<LedgerAudit> audit(String persistenceId) {
    String orgId = persistenceId.substring(PREFIX.length());
    return readJournal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .runFold(new LedgerAudit(orgId), (audit, envelope) -> audit.add((OrgEntity.Event) envelope.event()), system);
  }

  /** What the conversations say they used, by session id (those that used nothing are left out). */
  private CompletionStage<Map<String, ConversationChargeCheck.Recorded>> recordedCharges() {
    return database.read(connection -> {
      Map<String, ConversationChargeCheck.Recorded> recorded = new HashMap<>();
      query(connection, "SELECT session_id, org_id, credits_used FROM conversations WHERE credits_used <> 0",
          rows -> Map.entry(rows.getString("session_id"),
              new ConversationChargeCheck.Recorded(rows.getString("org_id"), rows.getLong("credits_used"))))
          .forEach(entry -> recorded.put(entry.getKey(), entry.getValue()));
      return recorded;
    });
  }

  /**
   * How many organizations were checked and which broke the ledger's rules; how many conversations'
   * charges were compared with the ledger, how many were still unsettled, and which differ.
   */
  public record Report(int organizations, List<LedgerAudit.Finding> violations, ConversationChargeCheck.Outcome conversations) {
    static Report of(List<LedgerAudit> audits, Map<String, ConversationChargeCheck.Recorded> recorded) {
      ConversationChargeCheck check = new ConversationChargeCheck();
      audits.forEach(audit -> check.add(audit.conversationCharges()));
      List<LedgerAudit.Finding> findings = audits.stream().map(LedgerAudit::finish).toList();
      return new Report(findings.size(), findings.stream().filter(finding -> !finding.clean()).toList(),
          check.compare(recorded));
    }

    public boolean clean() {
      return violations.isEmpty() && conversations.differences().isEmpty();
    }
  }
}
