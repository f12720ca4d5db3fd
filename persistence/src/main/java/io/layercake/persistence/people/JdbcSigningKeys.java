package io.layercake.persistence.people;

import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.secrets.SecretBox;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The private keys that sign portal tokens, in {@code signing_keys} as sealed JWK JSON (the
 * secrets key encrypts them), oldest first. Nodes share them: a token one node signs, any verifies.
 */
public final class JdbcSigningKeys {
  private final ApplicationDatabase database;
  private final SecretBox box;
  private final Clock clock;

  public JdbcSigningKeys(ApplicationDatabase database, SecretBox box, Clock clock) {
    this.database = database;
    this.box = box;
    this.clock = clock;
  }

  /** A stored key: its id and its private JWK as JSON. */
  public record StoredKey(String kid, String privateJwk) {}

  public CompletionStage<List<StoredKey>> all() {
    return database.read(connection -> query(connection, "SELECT kid, sealed_jwk FROM signing_keys ORDER BY created_at, kid",
        rows -> new StoredKey(rows.getString(1), box.open(rows.getString(2), context(rows.getString(1))))));
  }

  public CompletionStage<Void> add(StoredKey key) {
    return database.write(connection -> {
      update(connection, "INSERT INTO signing_keys (kid, sealed_jwk, created_at) VALUES (?, ?, ?)", key.kid(),
          box.seal(key.privateJwk(), context(key.kid())), clock.instant());
      return null;
    });
  }

  private static String context(String kid) {
    return "signing_keys/" + kid;
  }
}
