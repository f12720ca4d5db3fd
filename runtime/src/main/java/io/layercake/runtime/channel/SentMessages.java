package io.layercake.runtime.channel;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Which conversation sent a message, by the id the provider gave it: for delivery reports that do
 * not carry our own reference (a report to an account-level subscription, another system's
 * {@code callbackData}). Read from the conversations read model, so a message is found once the
 * projection has seen it was sent.
 */
public interface SentMessages {
  CompletionStage<Optional<String>> sessionOf(String channel, String providerMessageId);
}
