package io.layercake.persistence.messages;

import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.runtime.messages.ThreadEntity;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Keeps each person's inbox row of a thread (the latest message, what they read, how many are
 * unread and since when) and the thread's messages' order and senders, from which unread counts
 * are recounted when a message is deleted or part of a thread is read.
 */
final class DirectMessageHandler extends JdbcHandler<EventEnvelope<ThreadEntity.Event>, PooledJdbcSession> {
  private static final String PREFIX = ThreadEntity.TYPE_KEY.name() + "|";
  private static final int PREVIEW = 200;

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<ThreadEntity.Event> envelope) throws Exception {
    String threadId = envelope.persistenceId().substring(PREFIX.length());
    session.withConnection(connection -> {
      ThreadEntity.Event event = envelope.event();
      if (event instanceof ThreadEntity.ThreadOpened e) {
        for (String userId : e.participants()) {
          String other = e.participants().get(0).equals(userId) ? e.participants().get(1) : e.participants().get(0);
          update(connection, "INSERT INTO dm_inbox (thread_id, user_id, other_user_id, last_seq, read_seq, unread, reminded_seq,"
              + " updated_at) VALUES (?, ?, ?, 0, 0, 0, 0, ?)", threadId, userId, other, e.at());
        }
      } else if (event instanceof ThreadEntity.MessageSent e) {
        update(connection, "INSERT INTO dm_messages (thread_id, seq, message_id, sender_id, sent_at, deleted) VALUES (?, ?, ?, ?, ?, FALSE)",
            threadId, e.seq(), e.messageId(), e.senderId(), e.at());
        update(connection, "UPDATE dm_inbox SET last_seq = ?, last_message_id = ?, last_message_at = ?, last_preview = ?, last_sender_id = ?,"
                + " read_seq = CASE WHEN user_id = ? THEN ? ELSE read_seq END,"
                + " unread = CASE WHEN user_id = ? THEN unread ELSE unread + 1 END,"
                + " first_unread_at = CASE WHEN user_id = ? THEN first_unread_at ELSE COALESCE(first_unread_at, ?) END,"
                + " updated_at = ? WHERE thread_id = ?",
            e.seq(), e.messageId(), e.at(), preview(e.text()), e.senderId(), e.senderId(), e.seq(), e.senderId(), e.senderId(), e.at(),
            e.at(), threadId);
      } else if (event instanceof ThreadEntity.MessageEdited e) {
        update(connection, "UPDATE dm_inbox SET last_preview = CASE WHEN last_message_id = ? THEN ? ELSE last_preview END, updated_at = ?"
            + " WHERE thread_id = ?", e.messageId(), preview(e.text()), e.at(), threadId);
      } else if (event instanceof ThreadEntity.MessageDeleted e) {
        update(connection, "UPDATE dm_messages SET deleted = TRUE WHERE thread_id = ? AND seq = ?", threadId, e.seq());
        update(connection, "UPDATE dm_inbox SET last_preview = CASE WHEN last_message_id = ? THEN '(deleted)' ELSE last_preview END,"
            + " updated_at = ? WHERE thread_id = ?", e.messageId(), e.at(), threadId);
        recount(connection, threadId);
      } else if (event instanceof ThreadEntity.ReadUpTo e) {
        update(connection, "UPDATE dm_inbox SET read_seq = ?, updated_at = ? WHERE thread_id = ? AND user_id = ? AND read_seq < ?",
            e.seq(), e.at(), threadId, e.userId(), e.seq());
        recount(connection, threadId);
      }
      return null;
    });
  }

  /** Unread: the other's messages after what a person read, not deleted; the oldest of them says since when. */
  private static void recount(Connection connection, String threadId) throws SQLException {
    update(connection, "UPDATE dm_inbox SET"
        + " unread = (SELECT COUNT(*) FROM dm_messages m WHERE m.thread_id = dm_inbox.thread_id AND m.seq > dm_inbox.read_seq"
        + "   AND m.sender_id <> dm_inbox.user_id AND NOT m.deleted),"
        + " first_unread_at = (SELECT MIN(m.sent_at) FROM dm_messages m WHERE m.thread_id = dm_inbox.thread_id"
        + "   AND m.seq > dm_inbox.read_seq AND m.sender_id <> dm_inbox.user_id AND NOT m.deleted)"
        + " WHERE thread_id = ?", threadId);
  }

  private static String preview(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= PREVIEW ? line : line.substring(0, PREVIEW - 1) + "…";
  }
}
