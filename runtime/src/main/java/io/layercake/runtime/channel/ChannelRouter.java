package io.layercake.runtime.channel;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Sends each message through the port of its conversation's channel. */
public final class ChannelRouter implements ChannelPort {
  private final Map<String, ChannelPort> ports;

  public ChannelRouter(Map<String, ChannelPort> ports) {
    this.ports = Map.copyOf(ports);
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    ChannelPort port = ports.get(message.channel());
    if (port == null) {
      return CompletableFuture.completedFuture(
          new SendOutcome.Permanent("no sender is configured for the channel " + message.channel()));
    }
    return port.send(message);
  }

  @Override
  public CompletionStage<Optional<String>> refusal(
      String channel, String orgId, String agentId, String contact, Instant lastInboundAt) {
    ChannelPort port = ports.get(channel);
    return port == null
        ? CompletableFuture.completedFuture(Optional.of("no sender is configured for the channel " + channel))
        : port.refusal(channel, orgId, agentId, contact, lastInboundAt);
  }
}
