package io.layercake.runtime.session;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;

/**
 * A message a customer sent, as a channel received it. {@code messageId} is the provider's id, so a
 * provider's retry of the same message is recognized as a duplicate. Only a {@link Kind#MESSAGE}
 * carries content the agent answers; the other kinds are recorded and start no turn.
 *
 * @param text the content; for a reaction its emoji (empty when the customer removed their reaction)
 * @param reactsTo for a reaction, the provider's id of the message it reacts to; null otherwise
 * @param sentAt when the customer sent it by the provider's clock (messaging windows count from it); null if unknown
 */
public record InboundMessage(
    String orgId, String agentId, String channel, String contact, String messageId, String text, Kind kind,
    String reactsTo, Instant sentAt)
    implements JsonSerializable {
  public static final int MAX_TEXT = 10_000;
  static final int MAX_ID = 256;
  static final int MAX_EMOJI = 64;

  /** What a customer's message is: content, or something that is only recorded. */
  public enum Kind {
    /** Content the agent answers: text, media with a caption or file name, a location, a contact, a choice. */
    MESSAGE,
    /** An emoji on an earlier message: it attaches to that message. */
    REACTION,
    /** A sticker: recorded, not answered. */
    STICKER,
    /** A message the provider cannot pass on (an unsupported type): recorded, not answered. */
    UNSUPPORTED,
    /** A notice from the provider (the customer changed their number): recorded, not answered. */
    SYSTEM
  }

  public InboundMessage {
    kind = kind == null ? Kind.MESSAGE : kind;
  }

  /** A message with content. */
  public InboundMessage(String orgId, String agentId, String channel, String contact, String messageId, String text) {
    this(orgId, agentId, channel, contact, messageId, text, Kind.MESSAGE, null, null);
  }

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
    if (kind == Kind.REACTION) {
      if (blank(reactsTo) || reactsTo.length() > MAX_ID) {
        return "a reaction names the message it reacts to (at most " + MAX_ID + " characters)";
      }
      return text == null || text.length() <= MAX_EMOJI ? null : "a reaction is at most " + MAX_EMOJI + " characters";
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
