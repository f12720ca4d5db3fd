package io.layercake.runtime.session;

import io.layercake.config.SessionSettings;
import io.layercake.runtime.channel.SendOutcome;
import java.time.Duration;

/**
 * What a channel's answer to one send becomes for the conversation: the delivery recorded (sent; or
 * failed for good: refused, or still not taken after {@link #MAX_ATTEMPTS} attempts), or one more
 * attempt after a delay (the provider's Retry-After when it gave one, else doubling from the settings'
 * minimum, both at most their maximum). It decides; the conversation writes and schedules.
 */
final class SendAnswers {
  /** With the default backoff (2 s doubling to 5 min) this is about an hour of retries; later replies wait behind. */
  static final int MAX_ATTEMPTS = 20;

  private SendAnswers() {}

  /** What comes of a send. */
  sealed interface Next {}

  /** Record the delivery: sent (with the provider's id) or failed (with the reason). */
  record Record(DeliveryStatus status, String providerMessageId, String reason) implements Next {}

  /** Try again after {@code delay}; {@code why} the attempt failed. */
  record Again(Duration delay, String why) implements Next {}

  /** {@code attempt}: this send's attempt, from 1; {@code failure}: the send did not answer at all (null when it did). */
  static Next of(SendOutcome outcome, Throwable failure, int attempt, SessionSettings settings) {
    if (outcome instanceof SendOutcome.Accepted accepted) {
      return new Record(DeliveryStatus.SENT, accepted.providerMessageId(), null);
    }
    if (outcome instanceof SendOutcome.Permanent permanent) {
      return new Record(DeliveryStatus.FAILED, null, permanent.reason());
    }
    if (attempt >= MAX_ATTEMPTS) {
      return new Record(DeliveryStatus.FAILED, null, "gave up after " + MAX_ATTEMPTS + " attempts");
    }
    SendOutcome.Retryable retryable = outcome instanceof SendOutcome.Retryable answer ? answer : null;
    return new Again(backoff(attempt, retryable == null ? null : retryable.retryAfter(), settings),
        retryable != null ? retryable.reason() : String.valueOf(io.layercake.runtime.concurrent.Stages.cause(failure)));
  }

  /** The label the delivery counts under: accepted, permanent_failure or retryable_failure. */
  static String metricLabel(SendOutcome outcome) {
    return outcome instanceof SendOutcome.Accepted ? "accepted"
        : outcome instanceof SendOutcome.Permanent ? "permanent_failure" : "retryable_failure";
  }

  /** The wait before attempt {@code attempt + 1}: {@code retryAfter} when given, else doubling; at most the settings' maximum. */
  static Duration backoff(int attempt, Duration retryAfter, SessionSettings settings) {
    if (retryAfter != null && !retryAfter.isNegative()) {
      return retryAfter.compareTo(settings.deliveryRetryMax()) > 0 ? settings.deliveryRetryMax() : retryAfter;
    }
    Duration delay = settings.deliveryRetryMin().multipliedBy(1L << Math.min(attempt - 1, 20));
    return delay.compareTo(settings.deliveryRetryMax()) > 0 ? settings.deliveryRetryMax() : delay;
  }
}
