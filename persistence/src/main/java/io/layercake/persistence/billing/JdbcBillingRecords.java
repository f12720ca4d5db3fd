package io.layercake.persistence.billing;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.billing.BillingRecords;
import java.sql.ResultSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import io.layercake.persistence.jdbc.Json;
import java.util.concurrent.CompletionStage;

/**
 * Billing's tables: {@code stripe_customers}, {@code stripe_events} (with outcomes and operators'
 * resolutions), {@code billing_subscriptions}, {@code sms_numbers}.
 */
public final class JdbcBillingRecords implements BillingRecords {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcBillingRecords(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Optional<String>> customer(String orgId) {
    return database.read(connection -> first(connection, "SELECT customer_id FROM stripe_customers WHERE org_id = ?",
        rows -> rows.getString(1), orgId));
  }

  @Override
  public CompletionStage<String> saveCustomer(String orgId, String customerId) {
    return database.write(connection -> {
      Optional<String> existing = first(connection, "SELECT customer_id FROM stripe_customers WHERE org_id = ?",
          rows -> rows.getString(1), orgId);
      if (existing.isPresent()) {
        return existing.get();
      }
      update(connection, "INSERT INTO stripe_customers (org_id, customer_id, created_at) VALUES (?, ?, ?)",
          orgId, customerId, clock.instant());
      return customerId;
    }).exceptionallyCompose(failure -> customer(orgId).thenApply(kept -> kept.orElseThrow(
        () -> new IllegalStateException("could not store the customer of " + orgId, failure))));
  }

  @Override
  public CompletionStage<Boolean> isProcessed(String eventId) {
    return database.read(connection -> first(connection, "SELECT 1 FROM stripe_events WHERE event_id = ?",
        rows -> true, eventId).isPresent());
  }

  @Override
  public CompletionStage<Void> markProcessed(ProcessedEvent e) {
    return database.write(connection -> {
      if (first(connection, "SELECT 1 FROM stripe_events WHERE event_id = ?", rows -> true, e.eventId()).isEmpty()) {
        update(connection, "INSERT INTO stripe_events (event_id, type, processed_at, outcome, reason, event_created_at,"
                + " summary) VALUES (?, ?, ?, ?, ?, ?, ?)",
            e.eventId(), e.type(), e.processedAt(), e.outcome(), clip(e.reason(), 1000), e.createdAt(), e.summary());
      }
      return null;
    });
  }

  @Override
  public CompletionStage<List<ProcessedEvent>> events(String outcome, int limit) {
    return database.read(connection -> query(connection, "SELECT * FROM stripe_events WHERE outcome = ?"
            + " ORDER BY processed_at DESC, event_id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
        JdbcBillingRecords::event, outcome));
  }

  @Override
  public CompletionStage<Optional<ProcessedEvent>> event(String eventId) {
    return database.read(connection -> first(connection, "SELECT * FROM stripe_events WHERE event_id = ?",
        JdbcBillingRecords::event, eventId));
  }

  @Override
  public CompletionStage<Boolean> claimResolution(String eventId, String orgId, long credits, String by, Instant at) {
    return database.write(connection -> update(connection, "UPDATE stripe_events SET resolution = ?,"
            + " resolved_org_id = ?, resolved_credits = ?, resolved_by = ?, resolved_at = ?"
            + " WHERE event_id = ? AND outcome = ? AND resolution IS NULL",
        Resolution.PENDING, orgId, credits, by, at, eventId, ProcessedEvent.IGNORED) == 1
        || first(connection, "SELECT 1 FROM stripe_events WHERE event_id = ? AND resolution = ? AND resolved_org_id = ?"
            + " AND resolved_credits = ?", rows -> true, eventId, Resolution.PENDING, orgId, credits).isPresent());
  }

  @Override
  public CompletionStage<Void> finishResolution(String eventId, boolean applied) {
    return database.write(connection -> {
      if (applied) {
        update(connection, "UPDATE stripe_events SET resolution = ? WHERE event_id = ? AND resolution = ?",
            Resolution.DONE, eventId, Resolution.PENDING);
      } else {
        update(connection, "UPDATE stripe_events SET resolution = NULL, resolved_org_id = NULL,"
                + " resolved_credits = NULL, resolved_by = NULL, resolved_at = NULL WHERE event_id = ? AND resolution = ?",
            eventId, Resolution.PENDING);
      }
      return null;
    });
  }

  private static ProcessedEvent event(ResultSet rows) throws SQLException {
    String resolution = rows.getString("resolution");
    return new ProcessedEvent(rows.getString("event_id"), rows.getString("type"), rows.getString("outcome"),
        rows.getString("reason"), instant(rows, "event_created_at"), instant(rows, "processed_at"),
        rows.getString("summary"), resolution == null ? null : new Resolution(resolution, rows.getString("resolved_org_id"),
            rows.getLong("resolved_credits"), rows.getString("resolved_by"), instant(rows, "resolved_at")));
  }

  private static String clip(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  @Override
  public CompletionStage<Optional<Subscription>> subscription(String subscriptionId) {
    return database.read(connection -> first(connection, "SELECT * FROM billing_subscriptions WHERE subscription_id = ?",
        JdbcBillingRecords::subscription, subscriptionId));
  }

  @Override
  public CompletionStage<Void> saveSubscription(Subscription s) {
    return database.write(connection -> {
      int updated = update(connection, "UPDATE billing_subscriptions SET org_id = ?, kind = ?, tier = ?, number_order_id = ?,"
              + " status = ?, current_period_end = ?, last_event_at = ? WHERE subscription_id = ?",
          s.orgId(), s.kind(), s.tier(), s.numberOrderId(), s.status(), s.currentPeriodEnd(), s.lastEventAt(), s.subscriptionId());
      if (updated == 0) {
        update(connection, "INSERT INTO billing_subscriptions (org_id, kind, tier, number_order_id, status, current_period_end,"
                + " last_event_at, subscription_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            s.orgId(), s.kind(), s.tier(), s.numberOrderId(), s.status(), s.currentPeriodEnd(), s.lastEventAt(), s.subscriptionId());
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Boolean> advance(Subscription s) {
    return database.write(connection -> {
      int updated = update(connection, "UPDATE billing_subscriptions SET org_id = ?, kind = ?, tier = ?, number_order_id = ?,"
              + " status = ?, current_period_end = ?, last_event_at = ? WHERE subscription_id = ? AND last_event_at <= ?"
              + " AND status <> 'canceled'",
          s.orgId(), s.kind(), s.tier(), s.numberOrderId(), s.status(), s.currentPeriodEnd(), s.lastEventAt(), s.subscriptionId(),
          s.lastEventAt());
      if (updated > 0) {
        return true;
      }
      if (first(connection, "SELECT 1 FROM billing_subscriptions WHERE subscription_id = ?", rows -> true, s.subscriptionId()).isPresent()) {
        return false;
      }
      update(connection, "INSERT INTO billing_subscriptions (org_id, kind, tier, number_order_id, status, current_period_end,"
              + " last_event_at, subscription_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          s.orgId(), s.kind(), s.tier(), s.numberOrderId(), s.status(), s.currentPeriodEnd(), s.lastEventAt(), s.subscriptionId());
      return true;
    }).exceptionallyCompose(failure -> advanceAfterRace(s));
  }

  /** Two first events of one subscription at once: the insert of one failed, so it is an update now. */
  private CompletionStage<Boolean> advanceAfterRace(Subscription s) {
    return database.write(connection -> update(connection, "UPDATE billing_subscriptions SET org_id = ?, kind = ?, tier = ?,"
            + " number_order_id = ?, status = ?, current_period_end = ?, last_event_at = ? WHERE subscription_id = ?"
            + " AND last_event_at <= ? AND status <> 'canceled'",
        s.orgId(), s.kind(), s.tier(), s.numberOrderId(), s.status(), s.currentPeriodEnd(), s.lastEventAt(), s.subscriptionId(),
        s.lastEventAt()) > 0);
  }

  @Override
  public CompletionStage<Boolean> startPurchase(String orderId) {
    return database.write(connection -> update(connection,
        "UPDATE sms_numbers SET status = 'PURCHASING', updated_at = ? WHERE order_id = ? AND status = 'PENDING'",
        clock.instant(), orderId) == 1);
  }

  @Override
  public CompletionStage<List<Subscription>> subscriptions(String orgId) {
    return database.read(connection -> query(connection,
        "SELECT * FROM billing_subscriptions WHERE org_id = ? ORDER BY last_event_at DESC", JdbcBillingRecords::subscription, orgId));
  }

  @Override
  public CompletionStage<SmsNumber> saveNumber(SmsNumber n) {
    return database.write(connection -> {
      Optional<String> before = first(connection, "SELECT status FROM sms_numbers WHERE order_id = ?", rows -> rows.getString(1),
          n.orderId());
      if (!before.equals(Optional.of(n.status().name()))) {
        notifyNumberChanged(connection, n);
      }
      int updated = update(connection, "UPDATE sms_numbers SET org_id = ?, number_key = ?, number = ?, country = ?,"
              + " monthly_price_cents = ?, setup_price_cents = ?, currency = ?, status = ?, subscription_id = ?, updated_at = ?"
              + " WHERE order_id = ?",
          n.orgId(), n.numberKey(), n.number(), n.country(), n.monthlyPriceCents(), n.setupPriceCents(), n.currency(),
          n.status().name(), n.subscriptionId(), clock.instant(), n.orderId());
      if (updated == 0) {
        update(connection, "INSERT INTO sms_numbers (org_id, number_key, number, country, monthly_price_cents, setup_price_cents,"
                + " currency, status, subscription_id, updated_at, order_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            n.orgId(), n.numberKey(), n.number(), n.country(), n.monthlyPriceCents(), n.setupPriceCents(), n.currency(),
            n.status().name(), n.subscriptionId(), clock.instant(), n.orderId());
      }
      return n;
    });
  }

  /** People hear of a number that became theirs or was cancelled, once per order and change. */
  private void notifyNumberChanged(Connection connection, SmsNumber n) throws SQLException {
    String kind = n.status() == SmsNumber.Status.ACTIVE ? "number.bought" : n.status() == SmsNumber.Status.CANCELLED ? "number.cancelled" : null;
    if (kind == null) {
      return;
    }
    String persistenceId = "SmsNumber|" + n.orderId();
    long sequence = n.status() == SmsNumber.Status.ACTIVE ? 1 : 2;
    if (first(connection, "SELECT 1 FROM notifications WHERE persistence_id = ? AND sequence_number = ?", rows -> true, persistenceId,
        sequence).isEmpty()) {
      Map<String, Object> payload = new java.util.LinkedHashMap<>();
      payload.put("orderId", n.orderId());
      payload.put("number", n.number() == null ? "" : n.number());
      payload.put("country", n.country() == null ? "" : n.country());
      update(connection, "INSERT INTO notifications (org_id, kind, payload, created_at, persistence_id, sequence_number)"
          + " VALUES (?, ?, ?, ?, ?, ?)", n.orgId(), kind, Json.write(payload), clock.instant(), persistenceId, sequence);
    }
  }

  @Override
  public CompletionStage<Optional<SmsNumber>> number(String orderId) {
    return database.read(connection -> first(connection, "SELECT * FROM sms_numbers WHERE order_id = ?", JdbcBillingRecords::number, orderId));
  }

  @Override
  public CompletionStage<List<SmsNumber>> numbers(String orgId) {
    return database.read(connection -> query(connection, "SELECT * FROM sms_numbers WHERE org_id = ? ORDER BY updated_at DESC, order_id",
        JdbcBillingRecords::number, orgId));
  }

  @Override
  public CompletionStage<Void> notify(String orgId, String kind, String payloadJson, String eventId, Instant at) {
    return database.write(connection -> {
      String persistenceId = "Stripe|" + eventId;
      if (first(connection, "SELECT 1 FROM notifications WHERE persistence_id = ?", rows -> true, persistenceId).isEmpty()) {
        update(connection, "INSERT INTO notifications (org_id, kind, payload, created_at, persistence_id, sequence_number)"
            + " VALUES (?, ?, ?, ?, ?, 0)", orgId, kind, payloadJson, at, persistenceId);
      }
      return null;
    });
  }

  private static Subscription subscription(ResultSet rows) throws SQLException {
    return new Subscription(rows.getString("subscription_id"), rows.getString("org_id"), rows.getString("kind"),
        rows.getString("tier"), rows.getString("number_order_id"), rows.getString("status"),
        instant(rows, "current_period_end"), instant(rows, "last_event_at"));
  }

  private static SmsNumber number(ResultSet rows) throws SQLException {
    return new SmsNumber(rows.getString("order_id"), rows.getString("org_id"), rows.getString("number_key"),
        rows.getString("number"), rows.getString("country"), rows.getLong("monthly_price_cents"),
        rows.getLong("setup_price_cents"), rows.getString("currency"), SmsNumber.Status.valueOf(rows.getString("status")),
        rows.getString("subscription_id"));
  }

}
