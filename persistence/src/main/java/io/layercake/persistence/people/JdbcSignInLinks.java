package io.layercake.persistence.people;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.people.SignInLinks;
import io.layercake.runtime.people.Tokens;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** One-time links in {@code sign_in_links}, by the SHA-256 of their token; a used link is marked, never deleted. */
public final class JdbcSignInLinks implements SignInLinks {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcSignInLinks(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<String> issue(String email, String invitationId, Instant expiresAt) {
    String token = Tokens.secret();
    return database.write(connection -> {
      if (invitationId == null) {
        update(connection, "INSERT INTO sign_in_links (token_hash, email, created_at, expires_at) VALUES (?, ?, ?, ?)",
            Tokens.hash(token), email, clock.instant(), expiresAt);
      } else {
        update(connection, "INSERT INTO sign_in_links (token_hash, email, invitation_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            Tokens.hash(token), email, invitationId, clock.instant(), expiresAt);
      }
      return token;
    });
  }

  @Override
  public CompletionStage<Optional<Redeemed>> redeem(String token, Instant now) {
    String hash = Tokens.hash(token);
    return database.write(connection -> {
      // the guarded update decides: of two requests racing with one link, one marks it used and the other finds it used
      if (update(connection, "UPDATE sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
          now, hash, now) == 0) {
        return Optional.<Redeemed>empty();
      }
      return first(connection, "SELECT email, invitation_id FROM sign_in_links WHERE token_hash = ?",
          rows -> new Redeemed(rows.getString("email"), rows.getString("invitation_id")), hash);
    });
  }
}
