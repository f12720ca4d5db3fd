package io.layercake.runtime.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Limits kept by Pekko's scheduler fail a future as {@code orTimeout} does, and only an unfinished one. */
class TimeoutsTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime time = ManualTime.get(testKit.system());

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aFutureNotCompleteAtItsLimitFailsWithATimeout() {
    CompletableFuture<String> answer = Timeouts.within(testKit.scheduler(), new CompletableFuture<>(), Duration.ofSeconds(5));

    time.timePasses(Duration.ofMillis(4_900));
    assertThat(answer).isNotDone();
    time.timePasses(Duration.ofMillis(200));
    assertThat(answer).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(TimeoutException.class);
  }

  @Test
  void aFutureCompleteInTimeKeepsItsValue() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> answer = Timeouts.within(testKit.scheduler(), pending, Duration.ofSeconds(5));

    pending.complete("answered");
    time.timePasses(Duration.ofSeconds(6));

    assertThat(answer).isCompletedWithValue("answered");
  }

  @Test
  void aCancelledTaskNeverRuns() {
    AtomicInteger ran = new AtomicInteger();
    Cancellable kept = Timeouts.after(testKit.scheduler(), Duration.ofSeconds(1), ran::incrementAndGet);
    Cancellable cancelled = Timeouts.after(testKit.scheduler(), Duration.ofSeconds(1), () -> ran.addAndGet(100));

    cancelled.cancel();
    time.timePasses(Duration.ofSeconds(2));

    assertThat(kept.isCancelled()).isFalse();
    assertThat(ran).hasValue(1);
  }
}
