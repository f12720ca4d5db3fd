package io.layercake.persistence.notify;

import io.layercake.persistence.jdbc.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Appends an event to the webhook feed and queues one delivery per matching subscription (the
 * organization's own, and its parent's for a sub-organization), inside the projection's transaction,
 * so the feed and the outbox are exactly as durable as the read model.
 */
public final class WebhookFeed {
  /** What the organization directory says is above an organization; {@code parentOrgId} is null for a top-level one. */
  public record Parent(String parentOrgId) {}

  private static final String INSERT_EVENT =
      "INSERT INTO webhook_events (org_id, parent_org_id, session_id, type, sequence_number, payload, created_at, persistence_id,"
          + " source_sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private WebhookFeed() {}

  /** One event for the feed, as {@link #record} takes it. */
  public record Entry(String orgId, String parent, String sessionId, String type, long sequence, Map<String, Object> data,
      Instant at, String persistenceId, long sourceSequence) {}

  /**
   * A projection group's feed events, written together: one look at which of their organizations
   * (or parents) have live subscriptions, then the events of the others as one JDBC batch (they queue
   * no deliveries), and those of subscribed organizations one by one with their deliveries, all in
   * the order they were added.
   */
  public static final class Batch {
    private final List<Entry> entries = new ArrayList<>();

    public void add(Entry entry) {
      entries.add(entry);
    }

    /** Writes and forgets the entries; returns the number of statements sent. */
    public int flush(Connection connection) throws SQLException {
      if (entries.isEmpty()) {
        return 0;
      }
      Set<String> subscribed = subscribedAmong(connection);
      int sent = 1;
      List<Entry> quiet = new ArrayList<>();
      for (Entry entry : entries) {
        if (subscribed.contains(entry.orgId()) || (entry.parent() != null && subscribed.contains(entry.parent()))) {
          sent += insertQuiet(connection, quiet);
          record(connection, entry.orgId(), entry.parent(), entry.sessionId(), entry.type(), entry.sequence(), entry.data(),
              entry.at(), entry.persistenceId(), entry.sourceSequence());
          sent += 2;
        } else {
          quiet.add(entry);
        }
      }
      sent += insertQuiet(connection, quiet);
      entries.clear();
      return sent;
    }

    private Set<String> subscribedAmong(Connection connection) throws SQLException {
      Set<String> orgs = new LinkedHashSet<>();
      for (Entry entry : entries) {
        orgs.add(entry.orgId());
        if (entry.parent() != null) {
          orgs.add(entry.parent());
        }
      }
      String marks = String.join(", ", java.util.Collections.nCopies(orgs.size(), "?"));
      Set<String> subscribed = new LinkedHashSet<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT DISTINCT org_id FROM webhook_subscriptions WHERE deleted_at IS NULL AND org_id IN (" + marks + ")")) {
        int i = 1;
        for (String org : orgs) {
          select.setString(i++, org);
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            subscribed.add(rows.getString(1));
          }
        }
      }
      return subscribed;
    }

    private static int insertQuiet(Connection connection, List<Entry> quiet) throws SQLException {
      if (quiet.isEmpty()) {
        return 0;
      }
      try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
        for (Entry entry : quiet) {
          bindEvent(insert, entry.orgId(), entry.parent(), entry.sessionId(), entry.type(), entry.sequence(), entry.data(),
              entry.at(), entry.persistenceId(), entry.sourceSequence());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      int sent = quiet.size();
      quiet.clear();
      return sent;
    }
  }

  /**
   * {@code parent}: the organization's parent ({@link OrgParents}), whose subscriptions receive the
   * event too; null for none.
   */
  public static void record(Connection connection, String orgId, String parent, String sessionId, String type, long sequence,
      Map<String, Object> data, Instant at, String persistenceId, long sourceSequence) throws SQLException {
    long eventId = insert(connection, orgId, parent, sessionId, type, sequence, data, at, persistenceId, sourceSequence);
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

  /** An event for one subscription only (a test event a person asked for); the other subscriptions never see it. */
  public static long recordFor(Connection connection, String subscriptionId, String orgId, String type, Map<String, Object> data,
      Instant at, String persistenceId) throws SQLException {
    long eventId = insert(connection, orgId, null, null, type, 0, data, at, persistenceId, 0);
    try (PreparedStatement delivery = connection.prepareStatement(
        "INSERT INTO webhook_deliveries (event_id, subscription_id, session_id, status, attempts, next_attempt_at, created_at)"
            + " VALUES (?, ?, NULL, 'pending', 0, ?, ?)")) {
      delivery.setLong(1, eventId);
      delivery.setString(2, subscriptionId);
      delivery.setTimestamp(3, Timestamp.from(at));
      delivery.setTimestamp(4, Timestamp.from(at));
      delivery.executeUpdate();
    }
    return eventId;
  }

  private static long insert(Connection connection, String orgId, String parent, String sessionId, String type, long sequence,
      Map<String, Object> data, Instant at, String persistenceId, long sourceSequence) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT, new String[] {"event_id"})) {
      bindEvent(insert, orgId, parent, sessionId, type, sequence, data, at, persistenceId, sourceSequence);
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private static void bindEvent(PreparedStatement insert, String orgId, String parent, String sessionId, String type,
      long sequence, Map<String, Object> data, Instant at, String persistenceId, long sourceSequence) throws SQLException {
    Map<String, Object> payload = new LinkedHashMap<>(data);
    payload.put("orgId", orgId);
    if (sessionId != null) {
      payload.put("sessionId", sessionId);
    }
    insert.setString(1, orgId);
    insert.setString(2, parent);
    insert.setString(3, sessionId);
    insert.setString(4, type);
    insert.setLong(5, sequence);
    insert.setString(6, Json.write(payload));
    insert.setTimestamp(7, Timestamp.from(at));
    insert.setString(8, persistenceId);
    insert.setLong(9, sourceSequence);
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
