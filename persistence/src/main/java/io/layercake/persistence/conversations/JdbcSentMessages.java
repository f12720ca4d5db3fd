package io.layercake.persistence.conversations;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.channel.SentMessages;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Outbound messages by provider id, from the {@code messages} read model (index {@code messages_provider_id}). */
public final class JdbcSentMessages implements SentMessages {
  private final ApplicationDatabase database;

  public JdbcSentMessages(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Optional<String>> sessionOf(String channel, String providerMessageId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT m.session_id FROM messages m JOIN conversations c ON c.session_id = m.session_id"
              + " WHERE m.provider_message_id = ? AND m.direction = 'outbound' AND c.channel = ?"
              + " FETCH FIRST 1 ROWS ONLY")) {
        select.setString(1, providerMessageId);
        select.setString(2, channel);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }
}
