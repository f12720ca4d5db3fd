package io.layercake.http.webchat;

import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.OutboundMessage;
import io.layercake.runtime.channel.SendOutcome;
import io.layercake.runtime.channel.WebchatEvent;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The webchat channel: a message is delivered when it is stored (the visitor's history has it) and
 * is pushed to the visitor's open connections.
 */
public final class WebchatChannel implements ChannelPort {
  public static final String CHANNEL = "webchat";

  private final WebchatHub hub;
  private final Clock clock;

  public WebchatChannel(WebchatHub hub, Clock clock) {
    this.hub = hub;
    this.clock = clock;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    hub.publish(new WebchatEvent(message.sessionId(), message.outboundId(), message.text(), clock.instant()));
    return CompletableFuture.completedFuture(new SendOutcome.Accepted(message.sessionId() + "/" + message.outboundId()));
  }
}
