package io.layercake.runtime.llm;

import io.layercake.runtime.concurrent.FairShares;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The node's model calls, shared fairly between tenants ({@link FairShares}): one client's burst
 * queues behind itself, not in front of everyone else's chats. A call waits its turn before it runs
 * (its own timeout starts then), at most {@code maxWait}: after that it is not run at all and fails as
 * {@link ModelFailure.Kind#BUSY}, so its conversation asks again (the turn is answered later, in order).
 */
public final class FairModelGate implements LanguageModel {
  private final LanguageModel model;
  private final Function<ModelRequest, String> tenantOf;
  private final FairShares shares;
  private final Duration maxWait;

  /** {@code tenantOf}: whose share a call counts against; {@code capacity}: the model pool's size. */
  public FairModelGate(LanguageModel model, int capacity, Duration maxWait, Function<ModelRequest, String> tenantOf,
      Executor executor) {
    this.maxWait = maxWait;
    this.model = model;
    this.tenantOf = tenantOf;
    this.shares = new FairShares(capacity, executor);
  }

  @Override
  public CompletionStage<ModelReply> complete(ModelRequest request) {
    return shares.submit(tenantOf.apply(request), maxWait,
        () -> new ModelFailure(ModelFailure.Kind.BUSY, "no place for the model call within " + maxWait.toSeconds() + " s", null),
        () -> model.complete(request));
  }

  /** Calls running and waiting now. */
  public FairShares.Load load() {
    return shares.load();
  }
}
