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
    TIMEOUT,
    RATE_LIMITED,
    UNAVAILABLE,
    BAD_REQUEST
  }
}
