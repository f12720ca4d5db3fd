package io.layercake.persistence.notifications;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.Notifications;
import io.layercake.runtime.notifications.Preferences;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** People's notifications, choices and Pushover keys, and organizations' type maps, in their tables. */
public final class JdbcNotifications implements Notifications {
  private final ApplicationDatabase database;
  private final SecretBox box;

  public JdbcNotifications(ApplicationDatabase database, SecretBox box) {
    this.database = database;
    this.box = box;
  }

  @Override
  public CompletionStage<Page> list(String userId, boolean unreadOnly, Optional<Cursor> before, int limit) {
    return database.read(connection -> {
      List<Object> parameters = new ArrayList<>(List.of(userId));
      StringBuilder sql = new StringBuilder("SELECT * FROM user_notifications WHERE user_id = ?");
      if (unreadOnly) {
        sql.append(" AND read_at IS NULL");
      }
      if (before.isPresent()) {
        sql.append(" AND (created_at < ? OR (created_at = ? AND notification_id < ?))");
        parameters.addAll(List.of(before.get().createdAt(), before.get().createdAt(), before.get().notificationId()));
      }
      sql.append(" ORDER BY created_at DESC, notification_id DESC FETCH FIRST ").append(limit + 1).append(" ROWS ONLY");
      List<Notification> found = query(connection, sql.toString(), NotificationRows::notification, parameters.toArray());
      Optional<Cursor> next = Optional.empty();
      if (found.size() > limit) {
        found = found.subList(0, limit);
        Notification last = found.get(limit - 1);
        next = Optional.of(new Cursor(last.createdAt(), last.notificationId()));
      }
      int unread = first(connection, "SELECT COUNT(*) FROM user_notifications WHERE user_id = ? AND read_at IS NULL",
          rows -> rows.getInt(1), userId).orElse(0);
      return new Page(List.copyOf(found), unread, next);
    });
  }

  @Override
  public CompletionStage<Optional<Notification>> find(String userId, String notificationId) {
    return database.read(connection -> {
      Optional<Notification> found = first(connection, "SELECT * FROM user_notifications WHERE notification_id = ? AND user_id = ?",
          NotificationRows::notification, notificationId, userId);
      if (found.isEmpty()) {
        return found;
      }
      return Optional.of(found.get().withDeliveries(NotificationRows.deliveries(connection, notificationId)));
    });
  }

  @Override
  public CompletionStage<Boolean> markRead(String userId, String notificationId, Instant at) {
    return database.write(connection -> {
      boolean exists = first(connection, "SELECT 1 FROM user_notifications WHERE notification_id = ? AND user_id = ?", rows -> true,
          notificationId, userId).isPresent();
      update(connection, "UPDATE user_notifications SET read_at = ?, updated_at = ? WHERE notification_id = ? AND user_id = ?"
          + " AND read_at IS NULL", at, at, notificationId, userId);
      return exists;
    });
  }

  @Override
  public CompletionStage<Integer> markAllRead(String userId, Instant at) {
    return database.write(connection -> update(connection,
        "UPDATE user_notifications SET read_at = ?, updated_at = ? WHERE user_id = ? AND read_at IS NULL", at, at, userId));
  }

  @Override
  public CompletionStage<Unread> unread(String userId) {
    return database.read(connection -> first(connection,
        "SELECT COUNT(CASE WHEN read_at IS NULL THEN 1 END), COUNT(*), MAX(updated_at) FROM user_notifications WHERE user_id = ?",
        rows -> {
          Timestamp latest = rows.getTimestamp(3);
          return new Unread(rows.getInt(1), rows.getInt(1) + ":" + rows.getInt(2) + ":" + (latest == null ? 0 : latest.getTime()));
        }, userId).orElse(new Unread(0, "0:0:0")));
  }

  @Override
  public CompletionStage<Preferences> preferences(String userId) {
    return database.read(connection -> preferences(connection, userId));
  }

  static Preferences preferences(java.sql.Connection connection, String userId) throws java.sql.SQLException {
    Map<String, Map<Channel, Boolean>> choices = new HashMap<>();
    for (Object[] row : query(connection, "SELECT org_id, channel, enabled FROM notification_preferences WHERE user_id = ?",
        rows -> new Object[] {rows.getString(1), rows.getString(2), rows.getBoolean(3)}, userId)) {
      Optional<Channel> channel = Channel.parse((String) row[1]);
      channel.ifPresent(c -> choices.computeIfAbsent((String) row[0], org -> new HashMap<>()).put(c, (Boolean) row[2]));
    }
    return new Preferences(choices);
  }

  @Override
  public CompletionStage<Void> choose(String userId, String orgId, Channel channel, Optional<Boolean> enabled, Instant at) {
    return database.write(connection -> {
      update(connection, "DELETE FROM notification_preferences WHERE user_id = ? AND org_id = ? AND channel = ?", userId, orgId,
          channel.wireName());
      if (enabled.isPresent()) {
        update(connection, "INSERT INTO notification_preferences (user_id, org_id, channel, enabled, updated_at) VALUES (?, ?, ?, ?, ?)",
            userId, orgId, channel.wireName(), enabled.get(), at);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Void> pushoverKey(String userId, Optional<String> userKey, Instant at) {
    return database.write(connection -> {
      update(connection, "DELETE FROM notification_targets WHERE user_id = ?", userId);
      if (userKey.isPresent()) {
        update(connection, "INSERT INTO notification_targets (user_id, sealed_pushover_key, updated_at) VALUES (?, ?, ?)", userId,
            box.seal(userKey.get(), context(userId)), at);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Boolean> hasPushoverKey(String userId) {
    return database.read(connection -> first(connection,
        "SELECT 1 FROM notification_targets WHERE user_id = ? AND sealed_pushover_key IS NOT NULL", rows -> true, userId).isPresent());
  }

  /** The person's Pushover key, opened; empty when they set none. */
  static Optional<String> pushoverKey(java.sql.Connection connection, SecretBox box, String userId) throws java.sql.SQLException {
    return first(connection, "SELECT sealed_pushover_key FROM notification_targets WHERE user_id = ?", rows -> rows.getString(1), userId)
        .filter(sealed -> sealed != null)
        .map(sealed -> box.open(sealed, context(userId)));
  }

  @Override
  public CompletionStage<Map<String, Set<Channel>>> routes(String orgId) {
    return database.read(connection -> {
      Map<String, Set<Channel>> routes = new LinkedHashMap<>();
      for (String[] row : query(connection, "SELECT type, channels FROM notification_routes WHERE org_id = ? ORDER BY type",
          rows -> new String[] {rows.getString(1), rows.getString(2)}, orgId)) {
        routes.put(row[0], channels(row[1]));
      }
      return routes;
    });
  }

  static Set<Channel> channels(String stored) {
    Set<Channel> channels = EnumSet.noneOf(Channel.class);
    Arrays.stream(stored.split(",")).map(String::strip).map(Channel::parse).flatMap(Optional::stream).forEach(channels::add);
    return channels;
  }

  @Override
  public CompletionStage<Void> route(String orgId, String type, Optional<Set<Channel>> channels, Instant at) {
    return database.write(connection -> {
      update(connection, "DELETE FROM notification_routes WHERE org_id = ? AND type = ?", orgId, type);
      if (channels.isPresent()) {
        update(connection, "INSERT INTO notification_routes (org_id, type, channels, updated_at) VALUES (?, ?, ?, ?)", orgId, type,
            channels.get().stream().sorted().map(Channel::wireName).collect(Collectors.joining(",")), at);
      }
      return null;
    });
  }

  private static String context(String userId) {
    return "notification_targets/" + userId;
  }
}
