package io.layercake.persistence.channels;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.channel.ReplyNumbers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The number each SMS conversation's customer last wrote to ({@code sms_reply_numbers}). */
public final class JdbcReplyNumbers implements ReplyNumbers {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcReplyNumbers(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** One UPDATE for a conversation seen before; a concurrent first insert is retried as an update. */
  @Override
  public CompletionStage<Void> remember(String sessionId, String number) {
    return database.write(connection -> upsert(connection, sessionId, number))
        .exceptionallyCompose(failure -> database.write(connection -> upsert(connection, sessionId, number)));
  }

  @Override
  public CompletionStage<Optional<String>> of(String sessionId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT number FROM sms_reply_numbers WHERE session_id = ?")) {
        select.setString(1, sessionId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  private Void upsert(Connection connection, String sessionId, String number) throws SQLException {
    Timestamp now = Timestamp.from(clock.instant());
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE sms_reply_numbers SET number = ?, updated_at = ? WHERE session_id = ?")) {
      update.setString(1, number);
      update.setTimestamp(2, now);
      update.setString(3, sessionId);
      if (update.executeUpdate() > 0) {
        return null;
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO sms_reply_numbers (session_id, number, updated_at) VALUES (?, ?, ?)")) {
      insert.setString(1, sessionId);
      insert.setString(2, number);
      insert.setTimestamp(3, now);
      insert.executeUpdate();
    }
    return null;
  }
}
