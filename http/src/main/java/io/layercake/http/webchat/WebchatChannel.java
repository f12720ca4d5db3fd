package io.layercake.http.webchat;

import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.OutboundMessage;
import io.layercake.runtime.channel.SendOutcome;
import io.layercake.runtime.channel.WebchatEvent;
import io.layercake.runtime.llm.ReplyStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The webchat channel: a message is delivered when it is stored (the visitor's history has it) and
 * is pushed to the visitor's open connections; a reply the model is writing is pushed piece by piece.
 */
public final class WebchatChannel implements ChannelPort {
  public static final String CHANNEL = "webchat";

  private final WebchatHub hub;
  private final Clock clock;

  public WebchatChannel(WebchatHub hub, Clock clock) {
    this.hub = hub;
    this.clock = clock;
  }

  /**
   * Each piece of the reply goes to the visitor's open streams as it comes (the recorded reply follows,
   * whole). A setup's test chat, delivered the same way, waits for the whole reply: it streams nothing.
   */
  @Override
  public ReplyStream replyStream(String channel, String sessionId, String streamId) {
    return CHANNEL.equals(channel)
        ? text -> hub.publish(new WebchatEvent(sessionId, streamId, text, clock.instant(), true))
        : ReplyStream.NONE;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    hub.publish(new WebchatEvent(message.sessionId(), message.outboundId(), message.text(), clock.instant()));
    return CompletableFuture.completedFuture(new SendOutcome.Accepted(message.sessionId() + "/" + message.outboundId()));
  }
}
