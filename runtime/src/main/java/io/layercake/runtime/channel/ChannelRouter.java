package io.layercake.runtime.channel;

import io.layercake.runtime.llm.ReplyStream;
import io.layercake.runtime.metrics.RuntimeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Sends each message through the port of its conversation's channel, and times the send. */
public final class ChannelRouter implements ChannelPort {
  private final Map<String, ChannelPort> ports;
  private final RuntimeMetrics metrics;

  public ChannelRouter(Map<String, ChannelPort> ports, RuntimeMetrics metrics) {
    this.ports = Map.copyOf(ports);
    this.metrics = metrics;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    ChannelPort port = ports.get(message.channel());
    if (port == null) {
      return CompletableFuture.completedFuture(
          new SendOutcome.Permanent("no sender is configured for the channel " + message.channel()));
    }
    long startedAt = System.nanoTime();
    return port.send(message).whenComplete((outcome, failure) -> metrics.channelSend(message.channel(),
        failure != null ? "error"
            : outcome instanceof SendOutcome.Accepted ? "accepted"
            : outcome instanceof SendOutcome.Permanent ? "permanent_failure" : "retryable_failure",
        Duration.ofNanos(System.nanoTime() - startedAt)));
  }

  @Override
  public CompletionStage<Optional<String>> refusal(
      String channel, String orgId, String agentId, String contact, Instant lastInboundAt) {
    ChannelPort port = ports.get(channel);
    return port == null
        ? CompletableFuture.completedFuture(Optional.of("no sender is configured for the channel " + channel))
        : port.refusal(channel, orgId, agentId, contact, lastInboundAt);
  }

  @Override
  public ReplyStream replyStream(String channel, String sessionId, String streamId) {
    ChannelPort port = ports.get(channel);
    return port == null ? ReplyStream.NONE : port.replyStream(channel, sessionId, streamId);
  }
}
