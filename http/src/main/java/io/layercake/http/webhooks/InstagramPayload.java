package io.layercake.http.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.runtime.session.InboundMessage.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an Instagram messaging webhook (Messenger Platform, {@code object: instagram}) carries:
 * customers' messages to a business account made readable (text, "[image]", a story reply or
 * mention), reactions on earlier messages, and read receipts of our own. Our own messages echoed
 * back ({@code is_echo}) and deleted ones are left out.
 */
record InstagramPayload(List<Inbound> messages, List<Read> reads) {

  /**
   * A customer ({@code from}, their Instagram-scoped id) wrote to the business account {@code accountId}.
   * For a reaction, {@code text} is the emoji (empty when taken back), {@code reactsTo} the message's id,
   * and {@code messageId} made up of both (Instagram gives a reaction no id of its own).
   */
  record Inbound(String accountId, String from, String messageId, String text, Kind kind, String reactsTo, Instant sentAt) {}

  /** The customer {@code from} read our messages up to {@code messageId}. */
  record Read(String accountId, String from, String messageId) {}

  static InstagramPayload parse(JsonNode body) {
    List<Inbound> messages = new ArrayList<>();
    List<Read> reads = new ArrayList<>();
    if (!"instagram".equals(body.path("object").asText())) {
      return new InstagramPayload(messages, reads);
    }
    for (JsonNode entry : body.path("entry")) {
      String accountId = entry.path("id").asText("");
      for (JsonNode event : entry.path("messaging")) {
        String from = event.path("sender").path("id").asText("");
        if (accountId.isEmpty() || from.isEmpty() || from.equals(accountId)) {
          continue; // our own account: an echo of what we sent
        }
        Instant sentAt = event.path("timestamp").canConvertToLong() ? Instant.ofEpochMilli(event.path("timestamp").asLong()) : null;
        JsonNode message = event.path("message");
        if (message.isObject() && !message.path("is_echo").asBoolean(false) && !message.path("is_deleted").asBoolean(false)) {
          String mid = message.path("mid").asText("");
          if (!mid.isEmpty()) {
            messages.add(new Inbound(accountId, from, mid, text(message), kind(message), null, sentAt));
          }
        }
        JsonNode reaction = event.path("reaction");
        if (reaction.isObject() && !reaction.path("mid").asText("").isEmpty()) {
          boolean taken = "unreact".equals(reaction.path("action").asText());
          String emoji = taken ? "" : reaction.path("emoji").asText(reaction.path("reaction").asText(""));
          String on = reaction.path("mid").asText();
          messages.add(new Inbound(accountId, from, "reaction:" + on + ":" + event.path("timestamp").asText("0"), emoji, Kind.REACTION,
              on, sentAt));
        }
        String read = event.path("read").path("mid").asText("");
        if (!read.isEmpty()) {
          reads.add(new Read(accountId, from, read));
        }
      }
    }
    return new InstagramPayload(messages, reads);
  }

  private static Kind kind(JsonNode message) {
    return message.path("is_unsupported").asBoolean(false) ? Kind.UNSUPPORTED : Kind.MESSAGE;
  }

  /** The message as the agent reads it: its text, each attachment by kind, and what it answers. */
  private static String text(JsonNode message) {
    StringBuilder text = new StringBuilder();
    JsonNode story = message.path("reply_to").path("story");
    if (story.isObject()) {
      text.append("[replying to your story] ");
    }
    for (JsonNode attachment : message.path("attachments")) {
      String type = attachment.path("type").asText("file");
      text.append(switch (type) {
        case "story_mention" -> "[mentioned you in their story] ";
        case "share" -> "[shared a post] ";
        case "ig_reel", "reel" -> "[shared a reel] ";
        default -> "[" + type + "] ";
      });
    }
    text.append(message.path("text").asText(""));
    String readable = text.toString().strip();
    return readable.isEmpty() ? "[message]" : readable;
  }
}
