package io.layercake.persistence.people;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;
import static io.layercake.persistence.jdbc.Statements.instant;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.people.Tokens;
import io.layercake.runtime.people.UserSessions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Sessions in {@code user_sessions}, found by the SHA-256 of their cookie. Use is recorded at most
 * once a minute per session, so browsing costs reads, not a write per request.
 */
public final class JdbcUserSessions implements UserSessions {
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  private static final int MAX_USER_AGENT = 300;

  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcUserSessions(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Started> start(String userId, String userAgent, String ip, Instant expiresAt) {
    String token = Tokens.secret();
    Instant now = clock.instant();
    String agent = userAgent == null ? "" : userAgent.substring(0, Math.min(userAgent.length(), MAX_USER_AGENT));
    UserSession session = new UserSession(Tokens.id("ses_"), userId, Tokens.random(24), now, now, expiresAt, agent, ip);
    return database.write(connection -> {
      update(connection, "INSERT INTO user_sessions (session_id, token_hash, csrf_token, user_id, created_at, last_seen_at, expires_at,"
              + " user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", session.sessionId(), Tokens.hash(token), session.csrfToken(), userId,
          now, now, expiresAt, agent, ip);
      return new Started(session, token);
    });
  }

  @Override
  public CompletionStage<Optional<UserSession>> authenticate(String token, Instant now, Duration idle) {
    String hash = Tokens.hash(token);
    return database.read(connection -> first(connection, "SELECT * FROM user_sessions WHERE token_hash = ? AND revoked_at IS NULL"
        + " AND expires_at > ? AND last_seen_at > ?", JdbcUserSessions::session, hash, now, now.minus(idle)))
        .thenCompose(found -> found.isPresent() && found.get().lastSeenAt().isBefore(now.minus(TOUCH_EVERY))
            ? database.write(connection -> update(connection, "UPDATE user_sessions SET last_seen_at = ? WHERE session_id = ?", now,
                found.get().sessionId())).thenApply(touched -> found)
            : java.util.concurrent.CompletableFuture.completedFuture(found));
  }

  @Override
  public CompletionStage<List<UserSession>> list(String userId, Instant now, Duration idle) {
    return database.read(connection -> query(connection, "SELECT * FROM user_sessions WHERE user_id = ? AND revoked_at IS NULL"
        + " AND expires_at > ? AND last_seen_at > ? ORDER BY created_at DESC, session_id", JdbcUserSessions::session, userId, now,
        now.minus(idle)));
  }

  @Override
  public CompletionStage<Boolean> revoke(String userId, String sessionId) {
    return database.write(connection -> update(connection, "UPDATE user_sessions SET revoked_at = ? WHERE user_id = ?"
        + " AND session_id = ? AND revoked_at IS NULL", clock.instant(), userId, sessionId) > 0);
  }

  @Override
  public CompletionStage<Integer> revokeAll(String userId) {
    return database.write(connection -> update(connection,
        "UPDATE user_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", clock.instant(), userId));
  }

  private static UserSession session(ResultSet rows) throws SQLException {
    return new UserSession(rows.getString("session_id"), rows.getString("user_id"), rows.getString("csrf_token"),
        instant(rows, "created_at"), instant(rows, "last_seen_at"), instant(rows, "expires_at"), rows.getString("user_agent"),
        rows.getString("ip"));
  }
}
