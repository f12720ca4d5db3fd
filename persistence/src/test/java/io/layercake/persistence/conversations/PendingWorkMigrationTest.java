package io.layercake.persistence.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import io.layercake.persistence.jdbc.CountingDataSource;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.persistence.notify.OrgParents;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.OlderSchemas;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database written before V19 owes work in {@code session_wakeups} rows: the migration carries it
 * onto the conversations, where the waker finds it and the projection goes on from it.
 */
@ExtendWith(FreshDatabases.Extension.class)
class PendingWorkMigrationTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void workOwedBeforeTheMigrationIsStillOwedAndDoneAfterIt(TestDatabases kind, FreshDatabases databases, @TempDir Path dir)
      throws Exception {
    DatabaseSettings database = databases.create(kind, dir);
    OlderSchemas.migrateUpTo(database, "18");
    for (String session : List.of("old-1", "old-2")) {
      Sql.update(database, "INSERT INTO conversations (session_id, org_id, agent_id, channel, contact, status, owner, started_at,"
          + " last_message_at, message_count, credits_used, credits_exhausted) VALUES (?, 'org', 'agent', 'whatsapp', ?, 'active',"
          + " 'agent', ?, ?, 1, 0, FALSE)", session, "+3160000000" + session.charAt(4), Timestamp.from(T0), Timestamp.from(T0));
    }
    wakeRow(database, "old-1", "msg:wamid.\"q\"", T0.plusSeconds(60));
    wakeRow(database, "old-1", "turn:1", T0.plusSeconds(61));
    wakeRow(database, "old-1", "out:o1", T0.plusSeconds(90));

    SchemaMigrations.migrate(database);

    assertThat(PendingWork.keysOf(pendingWork(database, "old-1"))).containsExactlyInAnyOrder("msg:wamid.\"q\"", "turn:1", "out:o1");
    assertThat(wakeAt(database, "old-1")).isEqualTo(T0.plusSeconds(60));
    assertThat(pendingWork(database, "old-2")).isNull();
    assertThat(wakeAt(database, "old-2")).isNull();
    assertThat(Sql.strings(database, "SELECT session_id FROM conversations WHERE wake_at <= ?", Timestamp.from(T0.plusSeconds(60))))
        .as("what the waker reads").containsExactly("old-1");

    ConversationHandler handler = new ConversationHandler(Duration.ofMinutes(1), new OrgParents(Clock.systemUTC(), Duration.ofMinutes(2)));
    PooledJdbcSession session = new CountingDataSource(database).newSession();
    try {
      handler.process(session, List.of(EventEnvelope.create(Offset.sequence(1), SessionEntity.TYPE_KEY.name() + "|old-1", 5L,
          new SessionEvent.TurnSettled(1, List.of("wamid.\"q\""), 1, T0.plusSeconds(5)), T0.plusSeconds(5).toEpochMilli())));
      session.commit();
    } finally {
      session.close();
    }

    assertThat(PendingWork.keysOf(pendingWork(database, "old-1"))).containsExactly("out:o1");
    assertThat(wakeAt(database, "old-1")).isEqualTo(T0.plusSeconds(90));
  }

  private static void wakeRow(DatabaseSettings database, String sessionId, String key, Instant due) {
    Sql.update(database, "INSERT INTO session_wakeups (session_id, wake_key, due_at) VALUES (?, ?, ?)", sessionId, key,
        Timestamp.from(due));
  }

  private static String pendingWork(DatabaseSettings database, String sessionId) {
    return Sql.strings(database, "SELECT pending_work FROM conversations WHERE session_id = ?", sessionId).get(0);
  }

  private static Instant wakeAt(DatabaseSettings database, String sessionId) throws Exception {
    try (Connection connection = Sql.connect(database);
        PreparedStatement select = connection.prepareStatement("SELECT wake_at FROM conversations WHERE session_id = ?")) {
      select.setString(1, sessionId);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        Timestamp at = rows.getTimestamp(1);
        return at == null ? null : at.toInstant();
      }
    }
  }
}
