package io.layercake.persistence.portal;

import static io.layercake.persistence.jdbc.Statements.first;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.portal.PortalActivity;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** A client's activity from the conversation read model: {@code conversations}, {@code messages}, {@code leads}, {@code booking_requests}. */
public final class JdbcPortalActivity implements PortalActivity {
  private final ApplicationDatabase database;

  public JdbcPortalActivity(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Summary> between(String orgId, Instant from, Instant to) {
    return database.read(connection -> {
      long[] conversations = first(connection, "SELECT"
              + " SUM(CASE WHEN last_message_at >= ? AND started_at < ? THEN 1 ELSE 0 END),"
              + " SUM(CASE WHEN status = 'handed_off' THEN 1 ELSE 0 END) FROM conversations WHERE org_id = ?",
          rows -> new long[] {rows.getLong(1), rows.getLong(2)}, from, to, orgId).orElse(new long[2]);
      long[] replies = first(connection, "SELECT"
              + " SUM(CASE WHEN m.kind = 'agent_reply' THEN 1 ELSE 0 END), SUM(CASE WHEN m.kind = 'human' THEN 1 ELSE 0 END)"
              + " FROM messages m JOIN conversations c ON c.session_id = m.session_id"
              + " WHERE c.org_id = ? AND c.last_message_at >= ? AND m.direction = 'outbound' AND m.created_at >= ? AND m.created_at < ?",
          rows -> new long[] {rows.getLong(1), rows.getLong(2)}, orgId, from, from, to).orElse(new long[2]);
      long leads = first(connection, "SELECT COUNT(*) FROM leads WHERE org_id = ? AND created_at >= ? AND created_at < ?",
          rows -> rows.getLong(1), orgId, from, to).orElse(0L);
      long bookings = first(connection, "SELECT COUNT(*) FROM booking_requests WHERE org_id = ? AND created_at >= ? AND created_at < ?",
          rows -> rows.getLong(1), orgId, from, to).orElse(0L);
      return new Summary(conversations[0], replies[0], replies[1], leads, bookings, conversations[1]);
    });
  }
}
