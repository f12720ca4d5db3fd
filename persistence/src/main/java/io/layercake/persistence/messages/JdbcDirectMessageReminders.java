package io.layercake.persistence.messages;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Json;
import io.layercake.runtime.notifications.NotificationCatalog;
import io.layercake.runtime.notifications.NotificationSource;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Turns direct messages left unread longer than their reader's reminder delay into a {@code
 * dm.unread} notification event for that reader, once per thread and latest message.
 */
public final class JdbcDirectMessageReminders implements NotificationSource {
  private static final int BATCH = 200;

  private final ApplicationDatabase database;

  public JdbcDirectMessageReminders(ApplicationDatabase database) {
    this.database = database;
  }

  private record Unread(String threadId, String userId, String otherName, long lastSeq, long unread, String preview, Instant since,
      Duration remindAfter) {}

  @Override
  public CompletionStage<Integer> writeDue(Instant now) {
    return database.write(connection -> {
      int written = 0;
      for (Unread unread : query(connection, "SELECT i.thread_id, i.user_id, u.name, i.last_seq, i.unread, i.last_preview,"
              + " i.first_unread_at, r.remind_after_seconds FROM dm_inbox i LEFT JOIN users u ON u.user_id = i.other_user_id"
              + " LEFT JOIN messaging_rules r ON r.user_id = i.user_id"
              + " WHERE i.unread > 0 AND i.reminded_seq < i.last_seq AND i.first_unread_at <= ?"
              + " ORDER BY i.first_unread_at FETCH FIRST " + BATCH + " ROWS ONLY",
          rows -> new Unread(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4), rows.getLong(5), rows.getString(6),
              instant(rows, "first_unread_at"), rows.getObject(8) == null ? JdbcMessaging.DEFAULT_REMIND_AFTER
                  : Duration.ofSeconds(rows.getLong(8))), now)) {
        if (unread.since().plus(unread.remindAfter()).isAfter(now)) {
          continue;
        }
        String persistenceId = "DirectThread|" + unread.threadId() + "|" + unread.userId();
        if (first(connection, "SELECT 1 FROM notifications WHERE persistence_id = ? AND sequence_number = ?", rows -> true,
            persistenceId, unread.lastSeq()).isEmpty()) {
          Map<String, Object> payload = new LinkedHashMap<>();
          payload.put("userId", unread.userId());
          payload.put("threadId", unread.threadId());
          payload.put("from", unread.otherName() == null ? "someone" : unread.otherName());
          payload.put("unread", unread.unread());
          payload.put("preview", unread.preview() == null ? "" : unread.preview());
          update(connection, "INSERT INTO notifications (org_id, kind, payload, created_at, persistence_id, sequence_number)"
              + " VALUES (?, ?, ?, ?, ?, ?)", NotificationCatalog.DIRECT_ORG, NotificationCatalog.DM_UNREAD, Json.write(payload), now,
              persistenceId, unread.lastSeq());
          written++;
        }
        update(connection, "UPDATE dm_inbox SET reminded_seq = ? WHERE thread_id = ? AND user_id = ?", unread.lastSeq(),
            unread.threadId(), unread.userId());
      }
      return written;
    });
  }
}
