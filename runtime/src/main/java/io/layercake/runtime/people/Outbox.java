package io.layercake.runtime.people;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Emails waiting to go out: written in the request that causes them, sent by {@link EmailDelivery}
 * with retries, so a slow or failing mail server never holds up a request. Bodies carry sign-in
 * links and are stored encrypted.
 */
public interface Outbox {
  CompletionStage<String> enqueue(Email email, Instant now);

  /** Claims up to {@code limit} emails due now for {@code claimFor}, so another node does not send them too. */
  CompletionStage<List<Queued>> claimDue(Instant now, java.time.Duration claimFor, int limit);

  CompletionStage<Void> sent(String emailId, Instant at);

  /** Records a failed try: due again at {@code retryAt}, or failed for good when that is empty. */
  CompletionStage<Void> failedAttempt(String emailId, String error, Optional<Instant> retryAt);

  /** Emails that could not be delivered, newest first: the operator view. */
  CompletionStage<List<Undelivered>> undelivered(int limit);

  record Email(String to, String subject, String body) {
    @Override
    public String toString() {
      return "Email[to=" + to + ", subject=" + subject + "]";
    }
  }

  record Queued(String emailId, Email email, int attempts) {}

  record Undelivered(String emailId, String to, String subject, int attempts, String lastError, Instant createdAt) {}
}
