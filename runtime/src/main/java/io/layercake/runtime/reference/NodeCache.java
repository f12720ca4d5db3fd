package io.layercake.runtime.reference;

import io.layercake.runtime.concurrent.Stages;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One kind of reference data kept on this node: at most {@code maxEntries} entries (least recently
 * used first out), each for at most {@code ttl}. A look-up in flight is shared by every caller of the
 * same key; a failed one, or one whose value {@code keep} refuses, is not kept. An entry evicted while
 * its look-up is in flight is not put back when that look-up ends.
 */
public final class NodeCache<V> {
  private final String name;
  private final int maxEntries;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Entry<V>> entries;

  private record Entry<V>(CompletableFuture<V> value, long loadedAt) {}

  NodeCache(String name, int maxEntries, Duration ttl, LongSupplier nanoTime) {
    this.name = name;
    this.maxEntries = maxEntries;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  public String name() {
    return name;
  }

  /** The kept value of {@code key}, or what {@code load} answers (kept when {@code keep} accepts it). */
  public CompletableFuture<V> get(String key, Supplier<CompletionStage<V>> load, Predicate<V> keep) {
    Entry<V> entry;
    synchronized (this) {
      Entry<V> kept = entries.get(key);
      if (kept != null && nanoTime.getAsLong() - kept.loadedAt() < ttlNanos) {
        return kept.value();
      }
      entry = new Entry<>(new CompletableFuture<>(), nanoTime.getAsLong());
      entries.put(key, entry);
      trim();
    }
    CompletionStage<V> loading;
    try {
      loading = load.get();
    } catch (RuntimeException e) {
      loading = CompletableFuture.failedFuture(e);
    }
    // the executor-taking variant: a stage from Pekko's Java API would run the executor-less one on the common pool
    loading.whenCompleteAsync((value, failure) -> {
      if (failure != null || !keep.test(value)) {
        drop(key, entry);
      }
      if (failure != null) {
        entry.value().completeExceptionally(failure);
      } else {
        entry.value().complete(value);
      }
    }, Stages.SAME_THREAD);
    return entry.value();
  }

  public CompletableFuture<V> get(String key, Supplier<CompletionStage<V>> load) {
    return get(key, load, value -> true);
  }

  /** Forgets {@code key}; {@code null} forgets every entry. */
  public synchronized void evict(String key) {
    if (key == null) {
      entries.clear();
    } else {
      entries.remove(key);
    }
  }

  public synchronized int size() {
    return entries.size();
  }

  private synchronized void drop(String key, Entry<V> entry) {
    entries.remove(key, entry);
  }

  private void trim() {
    Iterator<Map.Entry<String, Entry<V>>> oldest = entries.entrySet().iterator();
    while (entries.size() > maxEntries && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }
}
