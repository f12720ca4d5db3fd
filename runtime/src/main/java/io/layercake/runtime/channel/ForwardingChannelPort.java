package io.layercake.runtime.channel;

import io.layercake.runtime.llm.ReplyStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A port that changes how sends are made and passes everything else to the ports it wraps. */
abstract class ForwardingChannelPort implements ChannelPort {
  protected final ChannelPort channels;

  ForwardingChannelPort(ChannelPort channels) {
    this.channels = channels;
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
