package io.layercake.persistence.notifications;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.notifications.PushSubscriptions;
import io.layercake.runtime.people.Tokens;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Web push subscriptions in {@code push_subscriptions}, one row per endpoint. */
public final class JdbcPushSubscriptions implements PushSubscriptions {
  private final ApplicationDatabase database;

  public JdbcPushSubscriptions(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Subscription> subscribe(String userId, String endpoint, String p256dh, String auth, String userAgent,
      Instant at) {
    Subscription subscription = new Subscription(Tokens.id("psub_"), userId, endpoint, p256dh, auth, userAgent, at);
    return database.write(connection -> {
      update(connection, "DELETE FROM push_subscriptions WHERE endpoint = ?", endpoint);
      update(connection, "INSERT INTO push_subscriptions (subscription_id, user_id, endpoint, p256dh, auth, user_agent, created_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)", subscription.subscriptionId(), userId, endpoint, p256dh, auth, userAgent, at);
      return subscription;
    });
  }

  @Override
  public CompletionStage<List<Subscription>> list(String userId) {
    return database.read(connection -> of(connection, userId));
  }

  static List<Subscription> of(Connection connection, String userId) throws SQLException {
    return query(connection, "SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY created_at, subscription_id",
        JdbcPushSubscriptions::subscription, userId);
  }

  @Override
  public CompletionStage<Boolean> remove(String userId, String subscriptionId) {
    return database.write(connection -> update(connection, "DELETE FROM push_subscriptions WHERE user_id = ? AND subscription_id = ?",
        userId, subscriptionId) == 1);
  }

  @Override
  public CompletionStage<Void> expired(String subscriptionId) {
    return database.write(connection -> {
      update(connection, "DELETE FROM push_subscriptions WHERE subscription_id = ?", subscriptionId);
      return null;
    });
  }

  private static Subscription subscription(ResultSet rows) throws SQLException {
    return new Subscription(rows.getString("subscription_id"), rows.getString("user_id"), rows.getString("endpoint"),
        rows.getString("p256dh"), rows.getString("auth"), rows.getString("user_agent"), instant(rows, "created_at"));
  }
}
