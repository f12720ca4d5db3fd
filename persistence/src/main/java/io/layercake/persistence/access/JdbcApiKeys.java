package io.layercake.persistence.access;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.access.ApiKeys;
import io.layercake.runtime.people.Tokens;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** API keys in {@code api_keys}: {@code lc_<keyId>_<256 random bits>}, of which only a SHA-256 is stored. */
public final class JdbcApiKeys implements ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcApiKeys(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Created> create(String orgId, String name, Set<String> scopes, String createdBy) {
    byte[] id = new byte[8];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String keyId = HexFormat.of().formatHex(id);
    String key = "lc_" + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Instant now = clock.instant();
    ApiKey apiKey = new ApiKey(keyId, orgId, name, scopes, now, createdBy, null);
    return database.write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO api_keys (key_id, org_id, name, scopes, key_hash,"
          + " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, keyId);
        insert.setString(2, orgId);
        insert.setString(3, name);
        insert.setString(4, String.join(",", scopes.stream().sorted().toList()));
        insert.setString(5, Tokens.hash(key));
        insert.setTimestamp(6, Timestamp.from(now));
        insert.setString(7, createdBy);
        insert.executeUpdate();
      }
      return new Created(apiKey, key);
    });
  }

  @Override
  public CompletionStage<Optional<ApiKey>> authenticate(String presentedKey) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")) {
        select.setString(1, Tokens.hash(presentedKey));
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(key(rows)) : Optional.<ApiKey>empty();
        }
      }
    });
  }

  @Override
  public CompletionStage<List<ApiKey>> list(String orgId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at, key_id")) {
        select.setString(1, orgId);
        List<ApiKey> keys = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            keys.add(key(rows));
          }
        }
        return keys;
      }
    });
  }

  @Override
  public CompletionStage<Boolean> revoke(String orgId, String keyId) {
    return database.write(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND key_id = ? AND revoked_at IS NULL")) {
        update.setTimestamp(1, Timestamp.from(clock.instant()));
        update.setString(2, orgId);
        update.setString(3, keyId);
        return update.executeUpdate() > 0;
      }
    });
  }

  private static ApiKey key(ResultSet rows) throws SQLException {
    Timestamp revoked = rows.getTimestamp("revoked_at");
    Set<String> scopes = new LinkedHashSet<>(Arrays.asList(rows.getString("scopes").split(",")));
    scopes.remove("");
    return new ApiKey(rows.getString("key_id"), rows.getString("org_id"), rows.getString("name"), scopes,
        rows.getTimestamp("created_at").toInstant(), rows.getString("created_by"), revoked == null ? null : revoked.toInstant());
  }
}
