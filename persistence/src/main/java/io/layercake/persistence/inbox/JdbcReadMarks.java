package io.layercake.persistence.inbox;

import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.inbox.ReadMarks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** Read marks in {@code conversation_reads}. */
public final class JdbcReadMarks implements ReadMarks {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcReadMarks(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> seen(String userId, String sessionId, long messageCount) {
    return database.write(connection -> {
      int changed = update(connection, "UPDATE conversation_reads SET seen_messages = ?, seen_at = ?"
          + " WHERE user_id = ? AND session_id = ? AND seen_messages < ?", messageCount, clock.instant(), userId, sessionId, messageCount);
      if (changed == 0 && query(connection, "SELECT 1 FROM conversation_reads WHERE user_id = ? AND session_id = ?",
          rows -> 1, userId, sessionId).isEmpty()) {
        update(connection, "INSERT INTO conversation_reads (user_id, session_id, seen_messages, seen_at) VALUES (?, ?, ?, ?)",
            userId, sessionId, messageCount, clock.instant());
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Map<String, Long>> seen(String userId, Collection<String> sessionIds) {
    if (sessionIds.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    List<Object> parameters = new ArrayList<>();
    parameters.add(userId);
    parameters.addAll(sessionIds);
    String in = sessionIds.stream().map(id -> "?").collect(Collectors.joining(", "));
    return database.read(connection -> query(connection,
        "SELECT session_id, seen_messages FROM conversation_reads WHERE user_id = ? AND session_id IN (" + in + ")",
        rows -> Map.entry(rows.getString(1), rows.getLong(2)), parameters.toArray())
        .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }
}
