package io.layercake.runtime.llm;

import java.time.Duration;
import java.util.Optional;

/** A model call that failed, in one of the few ways the turn knows how to handle. */
public final class ModelFailure extends RuntimeException {
  private final Kind kind;
  private final Duration retryAfter;

  public ModelFailure(Kind kind, String message, Duration retryAfter) {
    super(message);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public enum Kind {
    /**
     * The node's model pool had no place for the organization's call within the wait: the call was not
     * made. The caller asks again later (a conversation's turn goes on waiting, in order).
     */
    BUSY,
    TIMEOUT,
    RATE_LIMITED,
    UNAVAILABLE,
    BAD_REQUEST
  }
}
