package io.layercake.runtime.people;

import io.layercake.runtime.concurrent.Stages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the {@link Outbox} holds: claims due emails (so two nodes never send one twice), hands
 * each to the {@link Mailer} on the mail executor, and retries a failure with growing pauses until
 * {@code maxAttempts}, after which the email is reported as undelivered. One round at a time.
 */
public final class EmailDelivery {
  private static final Logger log = LoggerFactory.getLogger(EmailDelivery.class);
  private static final Duration CLAIM = Duration.ofMinutes(2);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  private static final Duration LONGEST_RETRY = Duration.ofHours(1);
  private static final int BATCH = 20;

  private final Outbox outbox;
  private final Mailer mailer;
  private final int maxAttempts;
  private final Executor mailExecutor;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  public EmailDelivery(Outbox outbox, Mailer mailer, int maxAttempts, Executor mailExecutor, Clock clock) {
    this.outbox = outbox;
    this.mailer = mailer;
    this.maxAttempts = maxAttempts;
    this.mailExecutor = mailExecutor;
    this.clock = clock;
  }

  /** Sends what is due now; a call during a round makes that round go once more. */
  public void deliverDue() {
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    again.set(false);
    outbox.claimDue(clock.instant(), CLAIM, BATCH)
        .thenComposeAsync(this::sendAll, mailExecutor)
        .whenComplete((sent, failure) -> {
          if (failure != null) {
            log.warn("Email delivery round failed: {}", Stages.cause(failure).toString());
          }
          running.set(false);
          if (again.get() || (sent != null && sent == BATCH)) {
            deliverDue();
          }
        });
  }

  private CompletionStage<Integer> sendAll(List<Outbox.Queued> due) {
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (Outbox.Queued queued : due) {
      all = all.thenComposeAsync(done -> send(queued), mailExecutor);
    }
    return all.thenApply(done -> due.size());
  }

  private CompletionStage<Void> send(Outbox.Queued queued) {
    try {
      mailer.send(queued.emailId(), queued.email());
      log.info("Email {} sent ({})", queued.emailId(), queued.email().subject());
      return outbox.sent(queued.emailId(), clock.instant());
    } catch (Exception e) {
      int attempts = queued.attempts();
      Optional<Instant> retryAt = attempts >= maxAttempts ? Optional.empty() : Optional.of(clock.instant().plus(pause(attempts)));
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (retryAt.isPresent()) {
        log.warn("Email {} not sent (attempt {} of {}), retried at {}: {}", queued.emailId(), attempts, maxAttempts, retryAt.get(), error);
      } else {
        log.error("Email {} not delivered after {} attempts: {}", queued.emailId(), attempts, error);
      }
      return outbox.failedAttempt(queued.emailId(), error, retryAt);
    }
  }

  /** 10 s, 20 s, 40 s, … at most an hour. */
  static Duration pause(int attempts) {
    Duration pause = FIRST_RETRY.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
    return pause.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause;
  }
}
