package io.layercake.http.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Read-after-write for read models: reads again, every {@code interval}, until the read shows what
 * the caller just wrote (a projection follows the journal about a second behind), and gives up
 * after {@code bound} with the last read, so a stalled projection slows an answer but never fails
 * it. Nothing blocks: the next read is scheduled on the given executor.
 */
public final class CatchUp {
  private final Duration bound;
  private final Duration interval;
  private final Executor executor;

  public CatchUp(Duration bound, Duration interval, Executor executor) {
    this.bound = bound;
    this.interval = interval;
    this.executor = executor;
  }

  /** The first read for which {@code caughtUp} holds, or the last one when the bound has passed. */
  public <T> CompletionStage<T> until(Supplier<CompletionStage<T>> read, Predicate<T> caughtUp) {
    return attempt(read, caughtUp, System.nanoTime() + bound.toNanos());
  }

  private <T> CompletionStage<T> attempt(Supplier<CompletionStage<T>> read, Predicate<T> caughtUp, long deadline) {
    return read.get().thenComposeAsync(value -> {
      if (caughtUp.test(value) || System.nanoTime() - deadline >= 0) {
        return CompletableFuture.completedFuture(value);
      }
      Executor later = CompletableFuture.delayedExecutor(interval.toMillis(), TimeUnit.MILLISECONDS, executor);
      return CompletableFuture.runAsync(() -> { }, later)
          .thenComposeAsync(ignored -> attempt(read, caughtUp, deadline), executor);
    }, executor);
  }
}
