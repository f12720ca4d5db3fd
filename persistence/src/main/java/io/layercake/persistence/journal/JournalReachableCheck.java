package io.layercake.persistence.journal;

import io.layercake.runtime.health.ReadinessCheck;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Ready when the journal answers a query through its own connection pool: an indexed lookup of
 * one persistence id, cheap enough to poll.
 */
public final class JournalReachableCheck implements ReadinessCheck {
  private static final String PROBE_PERSISTENCE_ID = "Readiness|probe";

  private final ActorSystem<?> system;
  private final JdbcReadJournal readJournal;
  private final Duration timeout;

  public JournalReachableCheck(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
    this.readJournal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  @Override
  public String name() {
    return "journal";
  }

  @Override
  public CompletionStage<CheckResult> check() {
    return readJournal
        .currentEventsByPersistenceId(PROBE_PERSISTENCE_ID, 0L, Long.MAX_VALUE)
        .completionTimeout(timeout)
        .runWith(Sink.ignore(), system)
        .handleAsync(
            (done, failure) -> failure == null
                ? CheckResult.ok("reachable")
                : CheckResult.failed("unreachable: " + rootMessage(failure)),
            system.executionContext());
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
  }
}
