package io.layercake.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Waiting for a read model: the first read that shows the write, or the last read once the bound has passed. */
class CatchUpTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void readsAgainUntilTheWriteShows() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    CatchUp catchUp = new CatchUp(Duration.ofSeconds(5), Duration.ofMillis(10), executor);

    int seen = catchUp.until(() -> CompletableFuture.completedFuture(reads.incrementAndGet()), value -> value >= 3)
        .toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(seen).isEqualTo(3);
    assertThat(reads.get()).isEqualTo(3);
  }

  @Test
  void givesTheLastReadWhenTheBoundHasPassed() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    CatchUp catchUp = new CatchUp(Duration.ofMillis(100), Duration.ofMillis(10), executor);

    int seen = catchUp.until(() -> CompletableFuture.completedFuture(reads.incrementAndGet()), value -> false)
        .toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(seen).isEqualTo(reads.get()).isGreaterThan(1);
  }

  @Test
  void aReadThatShowsTheWriteAtOnceIsNotRepeated() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    CatchUp catchUp = new CatchUp(Duration.ofSeconds(5), Duration.ofMillis(10), executor);

    catchUp.until(() -> CompletableFuture.completedFuture(reads.incrementAndGet()), value -> true)
        .toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(reads.get()).isEqualTo(1);
  }
}
