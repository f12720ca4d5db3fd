package io.layercake.runtime.channel;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The number (E.164) the customer of an SMS conversation last wrote to. Replies go out from it:
 * a reply from an alphanumeric sender cannot be answered.
 */
public interface ReplyNumbers {
  /** Records the number an inbound SMS of the conversation was sent to; before the message is received. */
  CompletionStage<Void> remember(String sessionId, String number);

  CompletionStage<Optional<String>> of(String sessionId);
}
