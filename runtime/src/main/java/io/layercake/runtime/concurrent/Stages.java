package io.layercake.runtime.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Plain futures from the stages Pekko's Java API returns. Those stages are Scala futures that run
 * every dependent stage given no executor ({@code thenApply}, {@code handle}, and so Pekko's own
 * {@code pipeToSelf}) on the common pool, which on a 2-core machine starts a new thread per task.
 * The futures made here run dependent stages on the thread that completes them.
 */
public final class Stages {
  /** Runs a task on the calling thread: for completions that only hand a value on. */
  public static final Executor SAME_THREAD = Runnable::run;

  private Stages() {}

  /** What failed, without the {@link java.util.concurrent.CompletionException} a dependent stage wraps it in. */
  public static Throwable cause(Throwable failure) {
    return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }

  /** The same outcome as {@code stage}, completed on {@code executor}, where dependent stages then run. */
  public static <T> CompletableFuture<T> on(CompletionStage<T> stage, Executor executor) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    // A Scala future's stage keeps the executor given here (only the executor-less variants go to the common pool).
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        plain.completeExceptionally(failure);
      } else {
        plain.complete(value);
      }
    }, executor);
    return plain;
  }
}
