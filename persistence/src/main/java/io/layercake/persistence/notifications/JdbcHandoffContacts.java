package io.layercake.persistence.notifications;

import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.notifications.HandoffContacts;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The hand-off contacts in {@code handoff_contacts}; the router reads the same rows in its transaction. */
public final class JdbcHandoffContacts implements HandoffContacts {
  private final ApplicationDatabase database;

  public JdbcHandoffContacts(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<List<String>> of(String orgId) {
    return database.read(connection -> chosen(connection, orgId));
  }

  @Override
  public CompletionStage<List<String>> choose(String orgId, List<String> userIds, String by, Instant at) {
    return database.write(connection -> {
      update(connection, "DELETE FROM handoff_contacts WHERE org_id = ?", orgId);
      for (String userId : userIds.stream().distinct().toList()) {
        update(connection, "INSERT INTO handoff_contacts (org_id, user_id, chosen_by, chosen_at) VALUES (?, ?, ?, ?)", orgId, userId, by, at);
      }
      return chosen(connection, orgId);
    });
  }

  static List<String> chosen(Connection connection, String orgId) throws SQLException {
    return query(connection, "SELECT user_id FROM handoff_contacts WHERE org_id = ? ORDER BY user_id", rows -> rows.getString(1), orgId);
  }
}
