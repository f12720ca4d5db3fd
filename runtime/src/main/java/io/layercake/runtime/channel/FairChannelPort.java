package io.layercake.runtime.channel;

import io.layercake.runtime.concurrent.FairShares;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The node's channel sends, shared fairly between organizations ({@link FairShares}): one client's
 * broadcast waits behind itself, not in front of everyone else's replies. A send waits its turn at
 * most {@code maxWait} (shorter than its conversation waits for it): past that it is not made, and
 * fails to be tried again, so a send is never made after its conversation stopped waiting for it.
 */
public final class FairChannelPort extends ForwardingChannelPort {
  private final FairShares shares;
  private final Duration maxWait;
  private final Function<String, String> tenantOf;

  /**
   * {@code capacity}: the provider pool's size (the sends in flight at once on this node);
   * {@code tenantOf}: whose share an organization's sends count against.
   */
  public FairChannelPort(ChannelPort channels, int capacity, Duration maxWait, Function<String, String> tenantOf,
      Executor executor) {
    super(channels);
    this.tenantOf = tenantOf;
    this.shares = new FairShares(capacity, executor);
    this.maxWait = maxWait;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    return shares.<SendOutcome>submit(tenantOf.apply(message.orgId()), maxWait, NoPlace::new, () -> channels.send(message))
        .exceptionally(failure -> failure instanceof NoPlace
            ? new SendOutcome.Retryable("no place to send within " + maxWait.toSeconds() + " s", null) : rethrow(failure));
  }

  public FairShares.Load load() {
    return shares.load();
  }

  /** A send given up before it was made. */
  private static final class NoPlace extends RuntimeException {
    NoPlace() {
      super("no place to send", null, false, false);
    }
  }

  private static SendOutcome rethrow(Throwable failure) {
    throw failure instanceof RuntimeException runtime ? runtime : new java.util.concurrent.CompletionException(failure);
  }
}
