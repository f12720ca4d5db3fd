package io.layercake.persistence.channels;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.channel.WebchatVisitors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Webchat visitors in {@code webchat_visitors}: 256-bit random tokens, stored as SHA-256 hashes. */
public final class JdbcWebchatVisitors implements WebchatVisitors {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcWebchatVisitors(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Visitor> create(String orgId, String agentId) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    String visitorId = "v-" + HexFormat.of().formatHex(id);
    Instant now = clock.instant();
    return database.write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO webchat_visitors (token_hash, org_id, agent_id, visitor_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, hash(token));
        insert.setString(2, orgId);
        insert.setString(3, agentId);
        insert.setString(4, visitorId);
        insert.setTimestamp(5, Timestamp.from(now));
        insert.setTimestamp(6, Timestamp.from(now));
        insert.executeUpdate();
      }
      return new Visitor(token, orgId, agentId, visitorId, now);
    });
  }

  @Override
  public CompletionStage<Optional<Visitor>> find(String token) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT org_id, agent_id, visitor_id, last_seen_at FROM webchat_visitors WHERE token_hash = ?")) {
        select.setString(1, hash(token));
        try (ResultSet rows = select.executeQuery()) {
          return rows.next()
              ? Optional.of(new Visitor(token, rows.getString(1), rows.getString(2), rows.getString(3), rows.getTimestamp(4).toInstant()))
              : Optional.<Visitor>empty();
        }
      }
    });
  }

  @Override
  public CompletionStage<Void> touch(String token) {
    return database.write(connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE webchat_visitors SET last_seen_at = ? WHERE token_hash = ?")) {
        update.setTimestamp(1, Timestamp.from(clock.instant()));
        update.setString(2, hash(token));
        update.executeUpdate();
      }
      return null;
    });
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
