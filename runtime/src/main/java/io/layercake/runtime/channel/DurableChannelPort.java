package io.layercake.runtime.channel;

import io.layercake.runtime.durability.Durability;
import java.util.concurrent.CompletionStage;

/**
 * Hands a message to its channel only once the conversation's record of it is durable. A reply is
 * written (queued) before it is sent; were the send made first, a process killed before that write
 * reached the file would come back without the reply and write and send another one.
 */
public final class DurableChannelPort extends ForwardingChannelPort {
  private final Durability durability;

  public DurableChannelPort(ChannelPort channels, Durability durability) {
    super(channels);
    this.durability = durability;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    return durability.ofCommitsSoFar().thenCompose(durable -> channels.send(message));
  }
}
