package io.layercake.runtime.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A node's cache of one kind of reference data: hits, expiry, bound, failures and evictions. */
class NodeCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger loads = new AtomicInteger();
  private final NodeCache<String> cache = new NodeCache<>("test", 2, Duration.ofSeconds(60), now::get);

  private CompletableFuture<String> load(String value) {
    loads.incrementAndGet();
    return CompletableFuture.completedFuture(value);
  }

  @Test
  void aHitDoesNotLookUpAgainUntilTheTtlPassed() {
    assertThat(cache.get("a", () -> load("one")).join()).isEqualTo("one");
    assertThat(cache.get("a", () -> load("two")).join()).isEqualTo("one");
    assertThat(loads).hasValue(1);

    now.addAndGet(Duration.ofSeconds(60).toNanos());
    assertThat(cache.get("a", () -> load("two")).join()).isEqualTo("two");
    assertThat(loads).hasValue(2);
  }

  @Test
  void anEvictedKeyIsLookedUpAgainAndNullEvictsEverything() {
    cache.get("a", () -> load("one")).join();
    cache.get("b", () -> load("one")).join();

    cache.evict("a");
    assertThat(cache.get("a", () -> load("two")).join()).isEqualTo("two");
    assertThat(cache.get("b", () -> load("two")).join()).isEqualTo("one");
    cache.evict(null);
    assertThat(cache.get("b", () -> load("three")).join()).isEqualTo("three");
    assertThat(loads).hasValue(4);
  }

  @Test
  void theLeastRecentlyUsedEntryLeavesBeyondTheBound() {
    cache.get("a", () -> load("a")).join();
    cache.get("b", () -> load("b")).join();
    cache.get("a", () -> load("a")).join();
    cache.get("c", () -> load("c")).join();

    assertThat(cache.size()).isEqualTo(2);
    cache.get("a", () -> load("a")).join();
    assertThat(loads).as("a was used last, b left").hasValue(3);
    cache.get("b", () -> load("b")).join();
    assertThat(loads).hasValue(4);
  }

  @Test
  void aFailedOrRefusedLookUpIsNotKeptAndConcurrentCallersShareOne() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> first = cache.get("a", () -> {
      loads.incrementAndGet();
      return pending;
    });
    CompletableFuture<String> second = cache.get("a", () -> load("other"));
    pending.completeExceptionally(new IllegalStateException("database down"));

    assertThat(first).isCompletedExceptionally();
    assertThat(second).isCompletedExceptionally();
    assertThat(loads).hasValue(1);
    assertThat(cache.get("a", () -> load("missing"), value -> !value.equals("missing")).join()).isEqualTo("missing");
    assertThat(cache.get("a", () -> load("found")).join()).isEqualTo("found");
    assertThat(loads).hasValue(3);
  }

  @Test
  void aLookUpInFlightWhenTheKeyChangedIsNotKept() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> old = cache.get("a", () -> pending);
    cache.evict("a");
    pending.complete("old");

    assertThat(old.join()).isEqualTo("old");
    assertThat(cache.get("a", () -> load("new")).join()).isEqualTo("new");
  }
}
