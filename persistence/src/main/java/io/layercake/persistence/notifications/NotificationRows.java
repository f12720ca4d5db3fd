package io.layercake.persistence.notifications;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;

import io.layercake.persistence.jdbc.Json;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.Priority;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Reading {@code user_notifications} and {@code notification_deliveries} rows. */
final class NotificationRows {
  private NotificationRows() {}

  static Notification notification(ResultSet rows) throws SQLException {
    Map<String, Object> metadata = Json.read(rows.getString("metadata"));
    return new Notification(rows.getString("notification_id"), rows.getString("user_id"), rows.getString("org_id"),
        rows.getString("type"), Priority.parse(rows.getString("priority")).orElse(Priority.NORMAL), rows.getString("title"),
        rows.getString("body"), rows.getString("link"), metadata, rows.getInt("occurrences"), instant(rows, "created_at"),
        instant(rows, "updated_at"), instant(rows, "read_at"), List.of());
  }

  static List<Notification.Delivery> deliveries(Connection connection, String notificationId) throws SQLException {
    return query(connection, "SELECT * FROM notification_deliveries WHERE notification_id = ? ORDER BY channel",
        rows -> new Notification.Delivery(Channel.parse(rows.getString("channel")).orElseThrow(), rows.getString("status"),
            rows.getInt("attempts"), instant(rows, "due_at"), instant(rows, "sent_at"), rows.getString("last_error")),
        notificationId);
  }
}
