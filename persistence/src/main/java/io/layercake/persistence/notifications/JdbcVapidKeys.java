package io.layercake.persistence.notifications;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.secrets.SecretBox;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The platform's VAPID key pair: made on the first start of the first node, then read by every
 * node (two nodes starting at once keep the pair stored first). The private half is sealed.
 */
public final class JdbcVapidKeys {
  private static final String KEY_ID = "vapid";

  private final ApplicationDatabase database;
  private final SecretBox box;

  public JdbcVapidKeys(ApplicationDatabase database, SecretBox box) {
    this.database = database;
    this.box = box;
  }

  /** A key pair in its stored text form (X.509 public key, PKCS#8 private key, both base64). */
  public record Pair(String publicKey, String privateKey) {
    @Override
    public String toString() {
      return "Pair[publicKey=" + publicKey + "]";
    }
  }

  public CompletionStage<Pair> loadOrCreate(Supplier<Pair> generate, Instant now) {
    return database.write(connection -> {
      Optional<Pair> stored = first(connection, "SELECT public_key, sealed_private_key FROM vapid_keys WHERE key_id = ?",
          rows -> new Pair(rows.getString(1), box.open(rows.getString(2), "vapid_keys/" + KEY_ID)), KEY_ID);
      if (stored.isPresent()) {
        return stored.get();
      }
      Pair made = generate.get();
      update(connection, "INSERT INTO vapid_keys (key_id, public_key, sealed_private_key, created_at) VALUES (?, ?, ?, ?)", KEY_ID,
          made.publicKey(), box.seal(made.privateKey(), "vapid_keys/" + KEY_ID), now);
      return made;
    }).exceptionallyCompose(raced -> database.read(connection -> first(connection,
        "SELECT public_key, sealed_private_key FROM vapid_keys WHERE key_id = ?",
        rows -> new Pair(rows.getString(1), box.open(rows.getString(2), "vapid_keys/" + KEY_ID)), KEY_ID).orElseThrow()));
  }
}
