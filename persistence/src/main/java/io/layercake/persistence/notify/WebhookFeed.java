package io.layercake.persistence.notify;

import io.layercake.persistence.jdbc.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Appends an event to the webhook feed and queues one delivery per matching subscription (the
 * organization's own, and its parent's for a sub-organization), inside the projection's transaction,
 * so the feed and the outbox are exactly as durable as the read model.
 */
public final class WebhookFeed {
  /** What the organization directory says is above an organization; {@code parentOrgId} is null for a top-level one. */
  public record Parent(String parentOrgId) {}

  private WebhookFeed() {}

  /**
   * {@code parent}: the organization's parent ({@link OrgParents}), whose subscriptions receive the
   * event too; null for none.
   */
  public static void record(Connection connection, String orgId, String parent, String sessionId, String type, long sequence,
      Map<String, Object> data, Instant at, String persistenceId, long sourceSequence) throws SQLException {
    Map<String, Object> payload = new LinkedHashMap<>(data);
    payload.put("orgId", orgId);
    if (sessionId != null) {
      payload.put("sessionId", sessionId);
    }
    long eventId;
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO webhook_events (org_id, parent_org_id, session_id, type, sequence_number, payload, created_at, persistence_id,"
            + " source_sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"event_id"})) {
      insert.setString(1, orgId);
      insert.setString(2, parent);
      insert.setString(3, sessionId);
      insert.setString(4, type);
      insert.setLong(5, sequence);
      insert.setString(6, Json.write(payload));
      insert.setTimestamp(7, Timestamp.from(at));
      insert.setString(8, persistenceId);
      insert.setLong(9, sourceSequence);
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        eventId = keys.getLong(1);
      }
    }
    try (PreparedStatement fanOut = connection.prepareStatement(
        "INSERT INTO webhook_deliveries (event_id, subscription_id, session_id, status, attempts, next_attempt_at, created_at)"
            + " SELECT ?, subscription_id, ?, 'pending', 0, ?, ? FROM webhook_subscriptions WHERE deleted_at IS NULL"
            + " AND (org_id = ? OR org_id = ?) AND (event_types = '*' OR event_types LIKE ?)")) {
      fanOut.setLong(1, eventId);
      fanOut.setString(2, sessionId);
      fanOut.setTimestamp(3, Timestamp.from(at));
      fanOut.setTimestamp(4, Timestamp.from(at));
      fanOut.setString(5, orgId);
      fanOut.setString(6, parent == null ? orgId : parent);
      fanOut.setString(7, "%," + type + ",%");
      fanOut.executeUpdate();
    }
  }

  /** The directory's word on an organization's parent; empty while the directory has no row for it yet. */
  public static Optional<Parent> parentOf(Connection connection, String orgId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT parent_org_id FROM organizations WHERE org_id = ?")) {
      select.setString(1, orgId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(new Parent(rows.getString(1))) : Optional.empty();
      }
    }
  }
}
