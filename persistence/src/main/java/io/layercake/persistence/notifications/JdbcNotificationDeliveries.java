package io.layercake.persistence.notifications;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.NotificationDeliveries;
import io.layercake.runtime.notifications.PushSubscriptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The deliveries in {@code notification_deliveries}: {@code pending} until sent or failed for good.
 * A claim counts the attempt and pushes {@code due_at} ahead, so only one node sends a delivery at a
 * time; a person whose account was disabled meanwhile gets nothing (failed, with that reason).
 */
public final class JdbcNotificationDeliveries implements NotificationDeliveries {
  private static final int MAX_ERROR = 1000;
  private static final int DIGEST_PEOPLE = 20;

  private final ApplicationDatabase database;
  private final SecretBox box;

  public JdbcNotificationDeliveries(ApplicationDatabase database, SecretBox box) {
    this.database = database;
    this.box = box;
  }

  private record Row(String notificationId, String channel, String userId, int attempts) {}

  @Override
  public CompletionStage<List<Due>> claimDue(Instant now, Duration claimFor, int limit) {
    return database.write(connection -> {
      List<Due> claimed = new ArrayList<>();
      for (Row row : query(connection, "SELECT notification_id, channel, user_id, attempts FROM notification_deliveries"
              + " WHERE status = 'pending' AND due_at <= ? AND channel <> 'digest' ORDER BY due_at FETCH FIRST " + limit + " ROWS ONLY",
          rows -> new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4)), now)) {
        if (claim(connection, row, now.plus(claimFor))) {
          due(connection, Channel.parse(row.channel()).orElseThrow(), row.userId(), List.of(row.notificationId()), row.attempts() + 1,
              now).ifPresent(claimed::add);
        }
      }
      for (String userId : query(connection, "SELECT DISTINCT user_id FROM notification_deliveries WHERE status = 'pending'"
          + " AND channel = 'digest' AND due_at <= ? FETCH FIRST " + DIGEST_PEOPLE + " ROWS ONLY", rows -> rows.getString(1), now)) {
        List<String> mine = new ArrayList<>();
        int attempts = 0;
        for (Row row : query(connection, "SELECT notification_id, channel, user_id, attempts FROM notification_deliveries"
                + " WHERE status = 'pending' AND channel = 'digest' AND user_id = ? AND due_at <= ?",
            rows -> new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4)), userId, now)) {
          if (claim(connection, row, now.plus(claimFor))) {
            mine.add(row.notificationId());
            attempts = Math.max(attempts, row.attempts() + 1);
          }
        }
        if (!mine.isEmpty()) {
          due(connection, Channel.DIGEST, userId, mine, attempts, now).ifPresent(claimed::add);
        }
      }
      return claimed;
    });
  }

  private static boolean claim(Connection connection, Row row, Instant until) throws SQLException {
    return update(connection, "UPDATE notification_deliveries SET attempts = attempts + 1, due_at = ? WHERE notification_id = ?"
        + " AND channel = ? AND status = 'pending' AND attempts = ?", until, row.notificationId(), row.channel(), row.attempts()) == 1;
  }

  /** The claimed delivery with its notifications and person; empty (and failed) when the person can no longer be told. */
  private Optional<Due> due(Connection connection, Channel channel, String userId, List<String> notificationIds, int attempts,
      Instant now) throws SQLException {
    Optional<String[]> user = first(connection, "SELECT email, name FROM users WHERE user_id = ? AND disabled_at IS NULL",
        rows -> new String[] {rows.getString(1), rows.getString(2)}, userId);
    if (user.isEmpty()) {
      for (String notificationId : notificationIds) {
        record(connection, notificationId, channel, "failed", null, "the person's account is disabled", now);
      }
      return Optional.empty();
    }
    List<Notification> notifications = new ArrayList<>();
    for (String notificationId : notificationIds) {
      first(connection, "SELECT * FROM user_notifications WHERE notification_id = ?", NotificationRows::notification, notificationId)
          .ifPresent(notifications::add);
    }
    if (notifications.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> pushoverKey = channel == Channel.PUSHOVER ? JdbcNotifications.pushoverKey(connection, box, userId) : Optional.empty();
    List<PushSubscriptions.Subscription> browsers = channel == Channel.PUSH ? JdbcPushSubscriptions.of(connection, userId) : List.of();
    return Optional.of(new Due(channel, new Recipient(userId, user.get()[0], user.get()[1], pushoverKey, browsers), notifications,
        attempts));
  }

  @Override
  public CompletionStage<Void> sent(Due due, Instant at) {
    return database.write(connection -> {
      for (Notification notification : due.notifications()) {
        record(connection, notification.notificationId(), due.channel(), "sent", at, null, at);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Void> failed(Due due, String error, Optional<Instant> retryAt, Instant at) {
    String shortError = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
    return database.write(connection -> {
      for (Notification notification : due.notifications()) {
        if (retryAt.isPresent()) {
          update(connection, "UPDATE notification_deliveries SET due_at = ?, last_error = ?, updated_at = ? WHERE notification_id = ?"
              + " AND channel = ? AND status = 'pending'", retryAt.get(), shortError, at, notification.notificationId(),
              due.channel().wireName());
        } else {
          record(connection, notification.notificationId(), due.channel(), "failed", null, shortError, at);
        }
      }
      return null;
    });
  }

  private static void record(Connection connection, String notificationId, Channel channel, String status, Instant sentAt, String error,
      Instant at) throws SQLException {
    update(connection, "UPDATE notification_deliveries SET status = ?, sent_at = ?, last_error = ?, updated_at = ? WHERE notification_id = ?"
        + " AND channel = ?", status, sentAt, error, at, notificationId, channel.wireName());
  }
}
