package io.layercake.runtime.channel;

import java.util.concurrent.CompletionStage;

/**
 * Carries a conversation's outbound messages to its channel (WhatsApp, SMS, webchat). Never blocks
 * the caller; the outcome says whether the channel took the message, or why not and whether to try
 * again.
 */
public interface ChannelPort {
  CompletionStage<SendOutcome> send(OutboundMessage message);
}
