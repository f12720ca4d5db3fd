package io.layercake.persistence.inbox;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.inbox.Assignments;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Assignments in {@code conversation_assignments}: one row per conversation that has someone. */
public final class JdbcAssignments implements Assignments {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcAssignments(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Assignment> assign(String sessionId, String orgId, String userId, String assignedBy) {
    Assignment assignment = new Assignment(sessionId, orgId, userId, assignedBy, clock.instant());
    return database.write(connection -> {
      int changed = update(connection, "UPDATE conversation_assignments SET user_id = ?, assigned_by = ?, assigned_at = ?"
          + " WHERE session_id = ?", userId, assignedBy, assignment.assignedAt(), sessionId);
      if (changed == 0) {
        update(connection, "INSERT INTO conversation_assignments (session_id, org_id, user_id, assigned_by, assigned_at)"
            + " VALUES (?, ?, ?, ?, ?)", sessionId, orgId, userId, assignedBy, assignment.assignedAt());
      }
      return assignment;
    });
  }

  @Override
  public CompletionStage<Boolean> unassign(String sessionId) {
    return database.write(connection -> update(connection, "DELETE FROM conversation_assignments WHERE session_id = ?", sessionId) > 0);
  }

  @Override
  public CompletionStage<Map<String, Assignment>> of(Collection<String> sessionIds) {
    if (sessionIds.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    String in = sessionIds.stream().map(id -> "?").collect(Collectors.joining(", "));
    return database.read(connection -> query(connection, "SELECT * FROM conversation_assignments WHERE session_id IN (" + in + ")",
        rows -> new Assignment(rows.getString("session_id"), rows.getString("org_id"), rows.getString("user_id"),
            rows.getString("assigned_by"), instant(rows, "assigned_at")), sessionIds.toArray())
        .stream().collect(Collectors.toMap(Assignment::sessionId, Function.identity())));
  }
}
