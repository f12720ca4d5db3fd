package io.layercake.runtime.concurrent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A node's places for one kind of slow work (model calls, provider sends), shared fairly between
 * tenants. At most {@code capacity} pieces of work run at once (the size of the pool they run on, so
 * the pool itself never queues); one tenant may hold all but a reserve of them, so a newcomer finds a
 * place at once; and when work waits, each place that frees goes to the waiting tenant with the fewest
 * running (max-min fairness, round robin among equals). One tenant's burst therefore waits behind
 * itself, not in front of everyone else's, and uses the whole node when alone. A tenant's work starts
 * in the order it came. Nothing is refused at the door: work waits here, in memory and not on a
 * thread, until its turn — or, past its caller's {@code maxWait}, is given up unrun (the caller has
 * stopped waiting for it and will ask again; run late, it would run twice). Never blocks.
 */
public final class FairShares {
  private final int capacity;
  private final int mostPerTenant;
  /** Runs the work that waited (never the caller's thread, so work that completes at once cannot nest). */
  private final Executor executor;

  private final Map<String, ArrayDeque<Waiting<?>>> waiting = new HashMap<>();
  /** The tenants with waiting work, the longest waiting first among equals. */
  private final ArrayDeque<String> turns = new ArrayDeque<>();
  private final Map<String, Integer> running = new HashMap<>();
  private int inFlight;
  private int queued;

  private record Waiting<T>(Supplier<? extends CompletionStage<T>> work, CompletableFuture<T> result, long giveUpAt,
      Supplier<? extends Throwable> givenUp) {}

  /** What runs and waits now. */
  public record Load(int running, int waiting, int tenantsWaiting) {}

  public FairShares(int capacity, Executor executor) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.executor = executor;
    // the places no single tenant may take: a newcomer's first call never waits for a whole call to end
    int reserve = capacity >= 4 ? Math.max(1, capacity / 8) : 0;
    this.mostPerTenant = capacity - reserve;
  }

  /**
   * Runs {@code work} for {@code tenant} now, or once its turn comes; the stage completes with the
   * work's. Work still waiting after {@code maxWait} is not run: the stage fails with {@code givenUp}.
   */
  public <T> CompletionStage<T> submit(String tenant, Duration maxWait, Supplier<? extends Throwable> givenUp,
      Supplier<? extends CompletionStage<T>> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Waiting<T> piece = new Waiting<>(work, result, System.nanoTime() + maxWait.toNanos(), givenUp);
    boolean now;
    synchronized (this) {
      now = !waiting.containsKey(tenant) && mayStart(tenant);
      if (now) {
        started(tenant);
      } else {
        waiting.computeIfAbsent(tenant, ignored -> {
          turns.addLast(tenant);
          return new ArrayDeque<>();
        }).addLast(piece);
        queued++;
      }
    }
    if (now) {
      run(tenant, piece);
    }
    return result;
  }

  public synchronized Load load() {
    return new Load(inFlight, queued, waiting.size());
  }

  private boolean mayStart(String tenant) {
    return inFlight < capacity && running.getOrDefault(tenant, 0) < mostPerTenant;
  }

  private void started(String tenant) {
    inFlight++;
    running.merge(tenant, 1, Integer::sum);
  }

  private <T> void run(String tenant, Waiting<T> piece) {
    CompletionStage<T> work;
    try {
      work = piece.work().get();
    } catch (RuntimeException e) {
      work = CompletableFuture.failedFuture(e);
    }
    work.whenComplete((value, failure) -> {
      finished(tenant);
      if (failure != null) {
        piece.result().completeExceptionally(failure);
      } else {
        piece.result().complete(value);
      }
    });
  }

  private void finished(String tenant) {
    List<Runnable> next = new ArrayList<>();
    synchronized (this) {
      inFlight--;
      running.computeIfPresent(tenant, (id, count) -> count <= 1 ? null : count - 1);
      admit(next);
    }
    next.forEach(executor::execute);
  }

  /**
   * While places are free, they go to the waiting tenant with the fewest running (under its limit),
   * the one waiting longest among equals: a newcomer comes before a tenant holding many.
   */
  private void admit(List<Runnable> next) {
    while (inFlight < capacity) {
      String chosen = null;
      int fewest = Integer.MAX_VALUE;
      for (String tenant : turns) {
        int holding = running.getOrDefault(tenant, 0);
        if (holding < mostPerTenant && holding < fewest) {
          chosen = tenant;
          fewest = holding;
        }
      }
      if (chosen == null) {
        return;
      }
      String tenant = chosen;
      turns.remove(tenant);
      ArrayDeque<Waiting<?>> pieces = waiting.get(tenant);
      Waiting<?> piece = pieces.pollFirst();
      queued--;
      if (pieces.isEmpty()) {
        waiting.remove(tenant);
      } else {
        turns.addLast(tenant);
      }
      if (System.nanoTime() - piece.giveUpAt() > 0) {
        next.add(() -> piece.result().completeExceptionally(piece.givenUp().get()));
        continue;
      }
      started(tenant);
      next.add(() -> run(tenant, piece));
    }
  }
}
