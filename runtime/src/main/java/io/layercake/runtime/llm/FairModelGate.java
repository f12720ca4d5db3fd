package io.layercake.runtime.llm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The node's model calls, shared fairly between tenants. At most {@code capacity} run at once (the
 * model pool's size, so the pool itself never queues); one tenant may hold all but a reserve of them,
 * so a newcomer finds a place at once; and when calls wait, each place that frees goes to the waiting
 * tenant with the fewest calls running (max-min fairness, round robin among equals). One client's burst therefore
 * queues behind itself, not in front of everyone else's chats, and uses the whole node when alone.
 * A tenant's calls start in the order they came. Nothing is refused: a call waits here until its
 * turn, and its own timeout starts when it runs. Never blocks: the waiting is in queues, not threads.
 */
public final class FairModelGate implements LanguageModel {
  private final LanguageModel model;
  private final Function<ModelRequest, String> tenantOf;
  /** Runs the calls that waited (never the caller's thread, so a model that answers at once cannot nest them). */
  private final Executor executor;
  private final int capacity;
  private final int mostPerTenant;

  private final Map<String, ArrayDeque<Waiting>> waiting = new HashMap<>();
  /** The tenants with waiting calls, in the order their turn comes. */
  private final ArrayDeque<String> turns = new ArrayDeque<>();
  private final Map<String, Integer> running = new HashMap<>();
  private int inFlight;
  private int queued;

  private record Waiting(ModelRequest request, CompletableFuture<ModelReply> answer) {}

  /** {@code tenantOf}: whose share a call counts against (an organization, or its agency for a client). */
  public FairModelGate(LanguageModel model, int capacity, Function<ModelRequest, String> tenantOf, Executor executor) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.model = model;
    this.tenantOf = tenantOf;
    this.executor = executor;
    this.capacity = capacity;
    // the places no single tenant may take: a newcomer's first call never waits for a whole model call
    int reserve = capacity >= 4 ? Math.max(1, capacity / 8) : 0;
    this.mostPerTenant = capacity - reserve;
  }

  @Override
  public CompletionStage<ModelReply> complete(ModelRequest request) {
    String tenant = tenantOf.apply(request);
    CompletableFuture<ModelReply> answer = new CompletableFuture<>();
    boolean now;
    synchronized (this) {
      now = !waiting.containsKey(tenant) && mayStart(tenant);
      if (now) {
        started(tenant);
      } else {
        waiting.computeIfAbsent(tenant, ignored -> {
          turns.addLast(tenant);
          return new ArrayDeque<>();
        }).addLast(new Waiting(request, answer));
        queued++;
      }
    }
    if (now) {
      run(tenant, request, answer);
    }
    return answer;
  }

  /** Calls running and waiting now, for metrics and tests. */
  public synchronized Load load() {
    return new Load(inFlight, queued, waiting.size());
  }

  public record Load(int running, int waiting, int tenantsWaiting) {}

  private boolean mayStart(String tenant) {
    return inFlight < capacity && running.getOrDefault(tenant, 0) < mostPerTenant;
  }

  private void started(String tenant) {
    inFlight++;
    running.merge(tenant, 1, Integer::sum);
  }

  private void run(String tenant, ModelRequest request, CompletableFuture<ModelReply> answer) {
    CompletionStage<ModelReply> call;
    try {
      call = model.complete(request);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((reply, failure) -> {
      finished(tenant);
      if (failure != null) {
        answer.completeExceptionally(failure);
      } else {
        answer.complete(reply);
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
   * While places are free, they go to the waiting tenant with the fewest calls running (under its
   * limit), the one waiting longest among equals: a newcomer comes before a tenant holding many.
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
      ArrayDeque<Waiting> calls = waiting.get(tenant);
      Waiting call = calls.pollFirst();
      queued--;
      if (calls.isEmpty()) {
        waiting.remove(tenant);
      } else {
        turns.addLast(tenant);
      }
      started(tenant);
      next.add(() -> run(tenant, call.request(), call.answer()));
    }
  }
}
