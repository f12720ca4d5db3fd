package io.layercake.runtime.channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A channel whose readers fetch messages from us (operators' test conversations): a queued
 * message is delivered as soon as it is stored.
 */
public final class InAppChannel implements ChannelPort {
  /** Operators' test conversations. */
  public static final String TEST = "test";

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    return CompletableFuture.completedFuture(new SendOutcome.Accepted(message.sessionId() + "/" + message.outboundId()));
  }
}
