package io.layercake.runtime.session;

import io.layercake.runtime.serialization.JsonSerializable;

/**
 * A message a customer sent, as a channel received it. {@code messageId} is the provider's id, so a
 * provider's retry of the same message is recognized as a duplicate.
 */
public record InboundMessage(String orgId, String agentId, String channel, String contact, String messageId, String text)
    implements JsonSerializable {
  static final int MAX_TEXT = 10_000;
  static final int MAX_ID = 256;

  public SessionKey key() {
    return new SessionKey(agentId, channel, contact);
  }

  /** What is wrong with the message, or null when nothing is. */
  String problem() {
    if (blank(orgId) || blank(agentId) || blank(channel) || blank(contact) || blank(messageId)) {
      return "orgId, agentId, channel, contact and messageId are required";
    }
    if (orgId.length() > 128 || agentId.length() > 128 || channel.length() > 32 || contact.length() > MAX_ID
        || messageId.length() > MAX_ID) {
      return "ids are at most 128 characters, channels 32, contacts and message ids " + MAX_ID;
    }
    if (text == null || text.isBlank()) {
      return "text must not be empty";
    }
    return text.length() > MAX_TEXT ? "text must be at most " + MAX_TEXT + " characters" : null;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
