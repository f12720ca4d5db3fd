package io.layercake.persistence.access;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements;
import io.layercake.runtime.access.IdempotencyKeys;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Idempotency keys in {@code idempotency_keys}, one row per organization and key; the primary key
 * decides between two requests that claim the same key at once. Rows older than the retention are
 * deleted as new keys are claimed.
 */
public final class JdbcIdempotencyKeys implements IdempotencyKeys {
  private static final String UNIQUE_VIOLATION = "23505";

  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcIdempotencyKeys(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Claim> claim(String orgId, String key, String requestHash) {
    Instant now = clock.instant();
    return database.write(connection -> {
      Statements.update(connection, "DELETE FROM idempotency_keys WHERE created_at < ?", now.minus(RETENTION));
      Statements.update(connection, "DELETE FROM idempotency_keys WHERE org_id = ? AND idempotency_key = ? AND status IS NULL"
          + " AND created_at < ?", orgId, key, now.minus(ABANDONED));
      connection.commit();
      try {
        Statements.update(connection, "INSERT INTO idempotency_keys (org_id, idempotency_key, request_hash, created_at)"
            + " VALUES (?, ?, ?, ?)", orgId, key, requestHash, now);
        return new Claimed();
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        connection.rollback();
      }
      Optional<Claim> existing = Statements.first(connection, "SELECT request_hash, status, content_type, body FROM idempotency_keys"
          + " WHERE org_id = ? AND idempotency_key = ?", rows -> {
            if (!rows.getString(1).equals(requestHash)) {
              return new Mismatch();
            }
            int status = rows.getInt(2);
            return rows.wasNull() ? new InProgress() : new Replay(new Answer(status, rows.getString(3), rows.getString(4)));
          }, orgId, key);
      // deleted between the insert and the read (it lapsed): the next attempt claims it
      return existing.orElseGet(InProgress::new);
    });
  }

  @Override
  public CompletionStage<Void> answered(String orgId, String key, Answer answer) {
    return database.write(connection -> {
      Statements.update(connection, "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ?"
          + " WHERE org_id = ? AND idempotency_key = ? AND status IS NULL", answer.status(), answer.contentType(), answer.body(), orgId, key);
      return null;
    });
  }

  @Override
  public CompletionStage<Void> release(String orgId, String key) {
    return database.write(connection -> {
      Statements.update(connection, "DELETE FROM idempotency_keys WHERE org_id = ? AND idempotency_key = ? AND status IS NULL", orgId, key);
      return null;
    });
  }
}
