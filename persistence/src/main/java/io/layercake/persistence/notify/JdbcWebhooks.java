package io.layercake.persistence.notify;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.notify.Webhooks;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Webhook subscriptions, the feed and the outbox in {@code webhook_subscriptions}, {@code webhook_events}, {@code webhook_deliveries}. */
public final class JdbcWebhooks implements Webhooks {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String FEED_COLUMNS = "e.event_id, e.org_id, e.session_id, e.type, e.sequence_number, e.payload, e.created_at";

  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcWebhooks(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Subscription> subscribe(String orgId, String url, Set<String> eventTypes) {
    byte[] id = new byte[8];
    byte[] secret = new byte[24];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    Subscription subscription = new Subscription("wh_" + HexFormat.of().formatHex(id), orgId, url,
        "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret), eventTypes, clock.instant());
    return database.write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO webhook_subscriptions (subscription_id, org_id, url,"
          + " secret, event_types, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, subscription.subscriptionId());
        insert.setString(2, orgId);
        insert.setString(3, url);
        insert.setString(4, subscription.secret());
        insert.setString(5, eventTypes.isEmpty() ? "*" : "," + String.join(",", eventTypes.stream().sorted().toList()) + ",");
        insert.setTimestamp(6, Timestamp.from(subscription.createdAt()));
        insert.executeUpdate();
      }
      return subscription;
    });
  }

  @Override
  public CompletionStage<List<Subscription>> subscriptions(String orgId) {
    return database.read(connection -> query(connection,
        "SELECT * FROM webhook_subscriptions WHERE org_id = ? AND deleted_at IS NULL ORDER BY created_at", JdbcWebhooks::subscription,
        orgId));
  }

  @Override
  public CompletionStage<Optional<Subscription>> subscription(String orgId, String subscriptionId) {
    return database.read(connection -> query(connection,
        "SELECT * FROM webhook_subscriptions WHERE org_id = ? AND subscription_id = ? AND deleted_at IS NULL",
        JdbcWebhooks::subscription, orgId, subscriptionId).stream().findFirst());
  }

  @Override
  public CompletionStage<Boolean> unsubscribe(String orgId, String subscriptionId) {
    return database.write(connection -> update(connection,
        "UPDATE webhook_subscriptions SET deleted_at = ? WHERE org_id = ? AND subscription_id = ? AND deleted_at IS NULL",
        Timestamp.from(clock.instant()), orgId, subscriptionId) > 0);
  }

  @Override
  public CompletionStage<List<FeedEvent>> events(List<String> orgIds, long after, int limit) {
    if (orgIds.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    String in = String.join(", ", orgIds.stream().map(id -> "?").toList());
    List<Object> parameters = new ArrayList<>(orgIds);
    parameters.add(after);
    return database.read(connection -> query(connection, "SELECT " + FEED_COLUMNS + " FROM webhook_events e WHERE e.org_id IN (" + in
        + ") AND e.event_id > ? AND e.type <> '" + TEST_EVENT + "' ORDER BY e.event_id FETCH FIRST " + limit + " ROWS ONLY", JdbcWebhooks::event, parameters.toArray()));
  }

  @Override
  public CompletionStage<Optional<Long>> sendTest(String orgId, String subscriptionId) {
    Instant now = clock.instant();
    return database.write(connection -> {
      if (query(connection, "SELECT 1 FROM webhook_subscriptions WHERE org_id = ? AND subscription_id = ? AND deleted_at IS NULL",
          rows -> 1, orgId, subscriptionId).isEmpty()) {
        return Optional.<Long>empty();
      }
      return Optional.of(WebhookFeed.recordFor(connection, subscriptionId, orgId, TEST_EVENT,
          java.util.Map.of("subscriptionId", subscriptionId, "message", "A test event, sent because someone asked for one."), now,
          "webhook-test:" + subscriptionId + ":" + java.util.UUID.randomUUID()));
    });
  }

  @Override
  public CompletionStage<List<Delivery>> deliveries(String subscriptionId, int limit) {
    return database.read(connection -> query(connection,
        "SELECT d.*, e.type FROM webhook_deliveries d JOIN webhook_events e ON e.event_id = d.event_id WHERE d.subscription_id = ?"
            + " ORDER BY d.event_id DESC FETCH FIRST " + limit + " ROWS ONLY",
        rows -> new Delivery(rows.getLong("event_id"), rows.getString("subscription_id"), rows.getString("type"),
            rows.getString("status"), rows.getInt("attempts"), (Integer) rows.getObject("last_status_code", Integer.class),
            rows.getString("last_error"), instant(rows, "next_attempt_at"), instant(rows, "delivered_at")),
        subscriptionId));
  }

  @Override
  public CompletionStage<List<DueDelivery>> due(Instant now, int limit) {
    return database.read(connection -> query(connection,
        "SELECT " + FEED_COLUMNS + ", d.subscription_id, d.attempts, d.created_at AS queued_at, s.url, s.secret"
            + " FROM webhook_deliveries d JOIN webhook_events e ON e.event_id = d.event_id"
            + " JOIN webhook_subscriptions s ON s.subscription_id = d.subscription_id"
            + " WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND s.deleted_at IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries earlier WHERE earlier.subscription_id = d.subscription_id"
            + " AND earlier.status = 'pending' AND earlier.event_id < d.event_id"
            + " AND (earlier.session_id = d.session_id OR (earlier.session_id IS NULL AND d.session_id IS NULL)))"
            + " ORDER BY d.event_id FETCH FIRST " + limit + " ROWS ONLY",
        rows -> new DueDelivery(event(rows), rows.getString("subscription_id"), rows.getString("url"), rows.getString("secret"),
            rows.getInt("attempts"), instant(rows, "queued_at")),
        Timestamp.from(now)));
  }

  @Override
  public CompletionStage<Void> delivered(long eventId, String subscriptionId, int statusCode, Instant at) {
    return database.write(connection -> {
      update(connection, "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = ?,"
          + " last_error = NULL, delivered_at = ? WHERE event_id = ? AND subscription_id = ?", statusCode, Timestamp.from(at), eventId,
          subscriptionId);
      return null;
    });
  }

  @Override
  public CompletionStage<Void> failed(long eventId, String subscriptionId, Integer statusCode, String error, Instant nextAttemptAt) {
    return database.write(connection -> {
      update(connection, "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status_code = ?, last_error = ?,"
              + " next_attempt_at = ? WHERE event_id = ? AND subscription_id = ?",
          nextAttemptAt == null ? "failed" : "pending", statusCode, error == null ? null : error.substring(0, Math.min(500, error.length())),
          Timestamp.from(nextAttemptAt == null ? clock.instant() : nextAttemptAt), eventId, subscriptionId);
      if (nextAttemptAt == null) {
        notifyGivenUp(connection, eventId, subscriptionId, error);
      }
      return null;
    });
  }

  /** The organization hears of a delivery given up (not of a test event's: whoever sent it sees the answer). */
  private void notifyGivenUp(Connection connection, long eventId, String subscriptionId, String error) throws SQLException {
    Optional<String[]> given = first(connection, "SELECT s.org_id, s.url, e.type FROM webhook_subscriptions s JOIN webhook_events e"
            + " ON e.event_id = ? WHERE s.subscription_id = ?",
        rows -> new String[] {rows.getString(1), rows.getString(2), rows.getString(3)}, eventId, subscriptionId);
    if (given.isEmpty() || given.get()[2].equals(TEST_EVENT)) {
      return;
    }
    String persistenceId = "Webhook|" + subscriptionId + "|" + eventId;
    if (first(connection, "SELECT 1 FROM notifications WHERE persistence_id = ?", rows -> true, persistenceId).isEmpty()) {
      Map<String, Object> payload = new java.util.LinkedHashMap<>();
      payload.put("subscriptionId", subscriptionId);
      payload.put("url", given.get()[1]);
      payload.put("type", given.get()[2]);
      payload.put("error", error == null ? "" : error.substring(0, Math.min(300, error.length())));
      update(connection, "INSERT INTO notifications (org_id, kind, payload, created_at, persistence_id, sequence_number)"
          + " VALUES (?, 'webhook.failing', ?, ?, ?, 0)", given.get()[0], io.layercake.persistence.jdbc.Json.write(payload), clock.instant(),
          persistenceId);
    }
  }

  private static Subscription subscription(ResultSet rows) throws SQLException {
    String types = rows.getString("event_types");
    Set<String> eventTypes = types.equals("*") ? Set.of() : new LinkedHashSet<>(Arrays.asList(types.replaceAll("^,|,$", "").split(",")));
    return new Subscription(rows.getString("subscription_id"), rows.getString("org_id"), rows.getString("url"), rows.getString("secret"),
        eventTypes, instant(rows, "created_at"));
  }

  private static FeedEvent event(ResultSet rows) throws SQLException {
    return new FeedEvent(rows.getLong("event_id"), rows.getString("org_id"), rows.getString("session_id"), rows.getString("type"),
        rows.getLong("sequence_number"), rows.getString("payload"), instant(rows, "created_at"));
  }

}
