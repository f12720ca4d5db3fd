package io.layercake.http.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.runtime.session.SessionState.DeliveryStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a WhatsApp Cloud API webhook carries: every entry and change, inbound messages made
 * readable (a caption, "[voice message]", coordinates, the chosen option), and status updates of
 * our own messages.
 */
record WhatsAppPayload(List<Inbound> messages, List<Status> statuses) {

  /** A customer's message to the business number {@code phoneNumberId}. {@code from} is digits without {@code +}. */
  record Inbound(String phoneNumberId, String from, String messageId, String text) {}

  /** What happened to one of our messages; {@code reason} carries the error code and title of a failure. */
  record Status(String phoneNumberId, String recipientId, String messageId, DeliveryStatus status, String reason) {}

  static WhatsAppPayload parse(JsonNode body) {
    List<Inbound> messages = new ArrayList<>();
    List<Status> statuses = new ArrayList<>();
    if (!"whatsapp_business_account".equals(body.path("object").asText())) {
      return new WhatsAppPayload(messages, statuses);
    }
    for (JsonNode entry : body.path("entry")) {
      for (JsonNode change : entry.path("changes")) {
        if (!"messages".equals(change.path("field").asText())) {
          continue;
        }
        JsonNode value = change.path("value");
        String phoneNumberId = value.path("metadata").path("phone_number_id").asText("");
        for (JsonNode message : value.path("messages")) {
          String from = message.path("from").asText("");
          String id = message.path("id").asText("");
          if (!phoneNumberId.isEmpty() && !from.isEmpty() && !id.isEmpty()) {
            messages.add(new Inbound(phoneNumberId, from, id, readable(message)));
          }
        }
        for (JsonNode status : value.path("statuses")) {
          DeliveryStatus delivery = status(status.path("status").asText(""));
          if (delivery != null && !phoneNumberId.isEmpty()) {
            JsonNode error = status.path("errors").path(0);
            String reason = error.isMissingNode() ? null
                : "(#" + error.path("code").asText("?") + ") " + error.path("title").asText(error.path("message").asText(""));
            statuses.add(new Status(phoneNumberId, status.path("recipient_id").asText(""), status.path("id").asText(""),
                delivery, reason));
          }
        }
      }
    }
    return new WhatsAppPayload(messages, statuses);
  }

  /** Every kind of message as text the agent can answer. */
  static String readable(JsonNode message) {
    String type = message.path("type").asText("");
    return switch (type) {
      case "text" -> message.path("text").path("body").asText("");
      case "image", "video", "sticker" -> withCaption("[" + type + "]", message.path(type).path("caption").asText(""));
      case "document" -> withCaption("[document " + message.path("document").path("filename").asText("") + "]",
          message.path("document").path("caption").asText(""));
      case "audio" -> message.path("audio").path("voice").asBoolean(false) ? "[voice message]" : "[audio file]";
      case "location" -> location(message.path("location"));
      case "interactive" -> {
        JsonNode interactive = message.path("interactive");
        JsonNode chosen = interactive.has("button_reply") ? interactive.path("button_reply") : interactive.path("list_reply");
        String description = chosen.path("description").asText("");
        yield chosen.path("title").asText("[a choice]") + (description.isEmpty() ? "" : " (" + description + ")");
      }
      case "button" -> message.path("button").path("text").asText(message.path("button").path("payload").asText("[a button]"));
      case "reaction" -> "[reacted " + message.path("reaction").path("emoji").asText("") + "]";
      case "contacts" -> "[shared a contact]";
      default -> "[a " + (type.isEmpty() ? "message" : type.toLowerCase(Locale.ROOT)) + " this channel cannot show]";
    };
  }

  private static String withCaption(String kind, String caption) {
    return caption.isBlank() ? kind : kind + " " + caption;
  }

  private static String location(JsonNode location) {
    StringBuilder text = new StringBuilder("[location] ")
        .append(location.path("latitude").asText("?")).append(", ").append(location.path("longitude").asText("?"));
    for (String field : List.of("name", "address")) {
      String part = location.path(field).asText("");
      if (!part.isEmpty()) {
        text.append(", ").append(part);
      }
    }
    return text.toString();
  }

  private static DeliveryStatus status(String status) {
    return switch (status) {
      case "sent" -> DeliveryStatus.SENT;
      case "delivered" -> DeliveryStatus.DELIVERED;
      case "read", "played" -> DeliveryStatus.READ;
      case "failed" -> DeliveryStatus.FAILED;
      default -> null;
    };
  }
}
