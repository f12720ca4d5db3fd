package io.layercake.runtime.channel;

import io.layercake.runtime.llm.ReplyStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries a conversation's outbound messages to its channel (WhatsApp, SMS, webchat). Never blocks
 * the caller; the outcome says whether the channel took the message, or why not and whether to try
 * again.
 */
public interface ChannelPort {
  CompletionStage<SendOutcome> send(OutboundMessage message);

  /**
   * Why no reply could go out to {@code contact} on {@code channel} for this organization, when that is
   * known before a reply is written (a tier without the channel, no sender, a messaging window that
   * closed before the customer's last message arrived); empty when a send may work or the port cannot
   * tell. Conversations ask before they run (and pay for) the model.
   *
   * @param lastInboundAt when the customer last wrote (null: never)
   */
  default CompletionStage<Optional<String>> refusal(
      String channel, String orgId, String agentId, String contact, Instant lastInboundAt) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  /**
   * Where the text of a reply goes while the model writes it, for a channel that can show a reply
   * growing; {@link ReplyStream#NONE} for the others, which get the whole reply. {@code streamId}
   * names the model call (a turn asked again after a restart is another stream).
   */
  default ReplyStream replyStream(String channel, String sessionId, String streamId) {
    return ReplyStream.NONE;
  }
}
