package io.layercake.runtime.channel;

import io.layercake.runtime.durability.Durability;
import io.layercake.runtime.llm.ReplyStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Hands a message to its channel only once the conversation's record of it is durable. A reply is
 * written (queued) before it is sent; were the send made first, a process killed before that write
 * reached the file would come back without the reply and write and send another one.
 */
public final class DurableChannelPort implements ChannelPort {
  private final ChannelPort channels;
  private final Durability durability;

  public DurableChannelPort(ChannelPort channels, Durability durability) {
    this.channels = channels;
    this.durability = durability;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    return durability.ofCommitsSoFar().thenCompose(durable -> channels.send(message));
  }

  @Override
  public CompletionStage<Optional<String>> refusal(String channel, String orgId, String agentId, String contact, Instant lastInboundAt) {
    return channels.refusal(channel, orgId, agentId, contact, lastInboundAt);
  }

  @Override
  public ReplyStream replyStream(String channel, String sessionId, String streamId) {
    return channels.replyStream(channel, sessionId, streamId);
  }
}
