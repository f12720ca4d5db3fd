package io.layercake.persistence.people;

import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;
import static io.layercake.persistence.jdbc.Statements.instant;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.runtime.people.Outbox;
import io.layercake.runtime.people.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The email outbox in {@code outbound_emails}: {@code pending} until sent or failed for good; a
 * claim pushes {@code next_attempt_at} ahead so that only one node sends an email at a time.
 */
public final class JdbcOutbox implements Outbox {
  private static final String PENDING = "pending";
  private static final String SENT = "sent";
  private static final String FAILED = "failed";
  private static final int MAX_ERROR = 1000;

  private final ApplicationDatabase database;
  private final SecretBox box;

  public JdbcOutbox(ApplicationDatabase database, SecretBox box) {
    this.database = database;
    this.box = box;
  }

  @Override
  public CompletionStage<String> enqueue(Email email, Instant now) {
    String emailId = Tokens.id("mail_");
    return database.write(connection -> {
      update(connection, "INSERT INTO outbound_emails (email_id, recipient, subject, sealed_body, status, attempts, next_attempt_at,"
              + " created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)", emailId, email.to(), email.subject(), box.seal(email.body(), context(emailId)),
          PENDING, now, now);
      return emailId;
    });
  }

  @Override
  public CompletionStage<List<Queued>> claimDue(Instant now, Duration claimFor, int limit) {
    return database.write(connection -> {
      List<Queued> claimed = new ArrayList<>();
      for (Row due : query(connection, "SELECT email_id, recipient, subject, sealed_body, attempts FROM outbound_emails"
              + " WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at FETCH FIRST " + limit + " ROWS ONLY",
          rows -> new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getInt(5)), PENDING, now)) {
        if (update(connection, "UPDATE outbound_emails SET attempts = attempts + 1, next_attempt_at = ? WHERE email_id = ?"
            + " AND status = ? AND attempts = ?", now.plus(claimFor), due.emailId, PENDING, due.attempts) == 1) {
          claimed.add(new Queued(due.emailId, new Email(due.to, due.subject, box.open(due.sealedBody, context(due.emailId))),
              due.attempts + 1));
        }
      }
      return claimed;
    });
  }

  @Override
  public CompletionStage<Void> sent(String emailId, Instant at) {
    return database.write(connection -> {
      update(connection, "UPDATE outbound_emails SET status = ?, sent_at = ?, last_error = NULL WHERE email_id = ?", SENT, at, emailId);
      return null;
    });
  }

  @Override
  public CompletionStage<Void> failedAttempt(String emailId, String error, Optional<Instant> retryAt) {
    String shortError = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
    return database.write(connection -> {
      if (retryAt.isPresent()) {
        update(connection, "UPDATE outbound_emails SET next_attempt_at = ?, last_error = ? WHERE email_id = ?", retryAt.get(),
            shortError, emailId);
      } else {
        update(connection, "UPDATE outbound_emails SET status = ?, last_error = ? WHERE email_id = ?", FAILED, shortError, emailId);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<List<Undelivered>> undelivered(int limit) {
    return database.read(connection -> query(connection, "SELECT * FROM outbound_emails WHERE status = ?"
            + " ORDER BY created_at DESC FETCH FIRST " + limit + " ROWS ONLY",
        rows -> new Undelivered(rows.getString("email_id"), rows.getString("recipient"), rows.getString("subject"),
            rows.getInt("attempts"), rows.getString("last_error"), instant(rows, "created_at")), FAILED));
  }

  private static String context(String emailId) {
    return "outbound_emails/" + emailId;
  }

  private record Row(String emailId, String to, String subject, String sealedBody, int attempts) {}
}
