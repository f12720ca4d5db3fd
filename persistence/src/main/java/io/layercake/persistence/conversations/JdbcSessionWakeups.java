package io.layercake.persistence.conversations;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.session.SessionWakeups;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Conversations whose pending work is overdue: {@code conversations.wake_at}, the earliest due time
 * of what they owe ({@link PendingWork}).
 */
public final class JdbcSessionWakeups implements SessionWakeups {
  private final ApplicationDatabase database;

  public JdbcSessionWakeups(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<List<String>> due(Instant now, String afterSessionId, int limit) {
    return database.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT session_id FROM conversations WHERE wake_at <= ? AND session_id > ? ORDER BY session_id FETCH FIRST "
              + limit + " ROWS ONLY")) {
        statement.setTimestamp(1, Timestamp.from(now));
        statement.setString(2, afterSessionId);
        List<String> sessionIds = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            sessionIds.add(rows.getString(1));
          }
        }
        return sessionIds;
      }
    });
  }
}
