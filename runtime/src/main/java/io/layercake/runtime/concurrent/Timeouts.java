package io.layercake.runtime.concurrent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.dispatch.ExecutionContexts;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Time limits kept by Pekko's scheduler. {@code CompletableFuture.orTimeout} and a
 * {@code ScheduledExecutorService} each run a timer thread that a new limit wakes whenever it is the
 * earliest, which on a node answering one message at a time is every limit: a context switch per
 * call on the message path. Pekko's scheduler thread ticks anyway; setting or cancelling a limit
 * wakes nothing. What a limit runs, runs on that thread: keep it short.
 */
public final class Timeouts {
  private static final ExecutionContextExecutor ON_THE_TIMER = ExecutionContexts.fromExecutor(Stages.SAME_THREAD);

  private Timeouts() {}

  /**
   * {@code future}, completed with a {@link TimeoutException} unless it completes within {@code limit},
   * as {@link CompletableFuture#orTimeout} does.
   */
  public static <T> CompletableFuture<T> within(Scheduler scheduler, CompletableFuture<T> future, Duration limit) {
    if (future.isDone()) {
      return future;
    }
    Cancellable timer = scheduler.scheduleOnce(limit, () -> future.completeExceptionally(new TimeoutException()), ON_THE_TIMER);
    future.whenComplete((value, failure) -> timer.cancel());
    return future;
  }

  /** Runs {@code task} on the scheduler's thread after {@code delay}, unless cancelled first. */
  public static Cancellable after(Scheduler scheduler, Duration delay, Runnable task) {
    return scheduler.scheduleOnce(delay, task, ON_THE_TIMER);
  }
}
