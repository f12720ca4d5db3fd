package io.layercake.runtime.channel;

import java.time.Duration;

/** What a channel answered to a send. */
public sealed interface SendOutcome {
  /** The channel took the message; receipts refer to it by {@code providerMessageId}. */
  record Accepted(String providerMessageId) implements SendOutcome {}

  /** Trying again will not help (blocked number, outside the messaging window, bad request). */
  record Permanent(String reason) implements SendOutcome {}

  /** Trying again later may work (rate limit, provider down); {@code retryAfter} may be null. */
  record Retryable(String reason, Duration retryAfter) implements SendOutcome {}
}
