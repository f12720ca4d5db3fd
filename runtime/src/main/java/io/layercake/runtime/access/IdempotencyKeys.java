package io.layercake.runtime.access;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The answers to requests an organization sent with an {@code Idempotency-Key}, kept for
 * {@link #RETENTION}: the first request with a key claims it, its answer is kept, a repeat gets that
 * answer again. A claim whose request never finished (the node died) lapses after {@link #ABANDONED}.
 */
public interface IdempotencyKeys {
  Duration RETENTION = Duration.ofHours(24);
  Duration ABANDONED = Duration.ofMinutes(1);

  /** Claims {@code key} for a request whose method, path and body hash to {@code requestHash}. */
  CompletionStage<Claim> claim(String orgId, String key, String requestHash);

  /** Keeps the answer of the request that claimed {@code key}. */
  CompletionStage<Void> answered(String orgId, String key, Answer answer);

  /** Gives the key up (the request failed on our side): the next request with it runs. */
  CompletionStage<Void> release(String orgId, String key);

  /** A kept answer: status, content type and body. */
  record Answer(int status, String contentType, String body) {}

  sealed interface Claim {}

  /** The key is this request's: run it. */
  record Claimed() implements Claim {}

  /** The same request ran before: answer as it was answered. */
  record Replay(Answer answer) implements Claim {}

  /** The key was used with another request. */
  record Mismatch() implements Claim {}

  /** The request that claimed the key is still running. */
  record InProgress() implements Claim {}
}
