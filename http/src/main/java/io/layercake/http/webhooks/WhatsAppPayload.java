package io.layercake.http.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.runtime.session.DeliveryStatus;
import io.layercake.runtime.session.InboundMessage.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a WhatsApp Cloud API webhook carries: every entry and change, inbound messages made
 * readable (a caption, "[voice message]", coordinates, the chosen option), and status updates of
 * our own messages. Reactions, stickers, unsupported and system messages carry no content the
 * agent could answer: they are marked as such, so they are recorded without starting a turn.
 */
record WhatsAppPayload(List<Inbound> messages, List<Status> statuses, List<TemplateStatus> templateStatuses) {

  /**
   * A customer's message to the business number {@code phoneNumberId}. {@code from} is digits without {@code +}.
   * For a reaction, {@code text} is the emoji (empty when removed) and {@code reactsTo} the wamid it reacts to.
   * {@code sentAt} is Meta's {@code timestamp}, when the customer sent it (null when absent or not a number).
   */
  record Inbound(
      String phoneNumberId, String from, String messageId, String text, Kind kind, String reactsTo, Instant sentAt) {}

  /** What happened to one of our messages; {@code reason} carries the error code and title of a failure. */
  record Status(String phoneNumberId, String recipientId, String messageId, DeliveryStatus status, String reason) {}

  /**
   * Meta moved one of a business account's templates ({@code message_template_status_update}):
   * APPROVED, REJECTED, PAUSED, DISABLED, … with its reason.
   */
  record TemplateStatus(String businessAccountId, String templateId, String name, String language, String status, String reason) {}

  static WhatsAppPayload parse(JsonNode body) {
    List<Inbound> messages = new ArrayList<>();
    List<Status> statuses = new ArrayList<>();
    List<TemplateStatus> templateStatuses = new ArrayList<>();
    if (!"whatsapp_business_account".equals(body.path("object").asText())) {
      return new WhatsAppPayload(messages, statuses, templateStatuses);
    }
    for (JsonNode entry : body.path("entry")) {
      for (JsonNode change : entry.path("changes")) {
        if ("message_template_status_update".equals(change.path("field").asText())) {
          JsonNode value = change.path("value");
          String templateId = value.path("message_template_id").asText("");
          String event = value.path("event").asText("");
          if (!entry.path("id").asText("").isEmpty() && !templateId.isEmpty() && event.matches("[A-Z_]{1,32}")) {
            templateStatuses.add(new TemplateStatus(entry.path("id").asText(), templateId, value.path("message_template_name").asText(""),
                value.path("message_template_language").asText(""), event, value.path("reason").asText("")));
          }
          continue;
        }
        if (!"messages".equals(change.path("field").asText())) {
          continue;
        }
        JsonNode value = change.path("value");
        String phoneNumberId = value.path("metadata").path("phone_number_id").asText("");
        for (JsonNode message : value.path("messages")) {
          String from = message.path("from").asText("");
          String id = message.path("id").asText("");
          if (!phoneNumberId.isEmpty() && !from.isEmpty() && !id.isEmpty()) {
            messages.add(inbound(phoneNumberId, from, id, message));
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
    return new WhatsAppPayload(messages, statuses, templateStatuses);
  }

  private static Inbound inbound(String phoneNumberId, String from, String id, JsonNode message) {
    String type = message.path("type").asText("");
    Instant sentAt = sentAt(message.path("timestamp").asText(""));
    if ("reaction".equals(type)) {
      String reactsTo = message.path("reaction").path("message_id").asText("");
      String emoji = message.path("reaction").path("emoji").asText("");
      return reactsTo.isEmpty()
          ? new Inbound(phoneNumberId, from, id, "[a reaction]", Kind.UNSUPPORTED, null, sentAt)
          : new Inbound(phoneNumberId, from, id, emoji, Kind.REACTION, reactsTo, sentAt);
    }
    return new Inbound(phoneNumberId, from, id, readable(message), kind(type), null, sentAt);
  }

  /** Meta sends Unix seconds as a string. */
  private static Instant sentAt(String timestamp) {
    return timestamp.matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(timestamp)) : null;
  }

  /** What a message type is: content, or something only recorded. */
  static Kind kind(String type) {
    return switch (type) {
      case "reaction" -> Kind.REACTION;
      case "sticker" -> Kind.STICKER;
      case "unsupported", "unknown" -> Kind.UNSUPPORTED;
      case "system" -> Kind.SYSTEM;
      default -> Kind.MESSAGE;
    };
  }

  /** Every kind of message as text: what the agent answers, or what the conversation records. */
  static String readable(JsonNode message) {
    String type = message.path("type").asText("");
    return switch (type) {
      case "text" -> message.path("text").path("body").asText("");
      case "image", "video" -> withCaption("[" + type + "]", message.path(type).path("caption").asText(""));
      case "sticker" -> message.path("sticker").path("animated").asBoolean(false) ? "[animated sticker]" : "[sticker]";
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
      case "contacts" -> contacts(message.path("contacts"));
      case "unsupported", "unknown" -> unsupported(message);
      case "system" -> message.path("system").path("body").asText("[a system message]");
      default -> "[a " + (type.isEmpty() ? "message" : type.toLowerCase(Locale.ROOT)) + " this channel cannot show]";
    };
  }

  private static String contacts(JsonNode contacts) {
    List<String> names = new ArrayList<>();
    for (JsonNode contact : contacts) {
      String name = contact.path("name").path("formatted_name").asText("");
      if (!name.isBlank()) {
        names.add(name);
      }
    }
    return names.isEmpty() ? "[shared a contact]" : "[shared a contact] " + String.join(", ", names);
  }

  /** Meta names what the customer sent in {@code unsupported.type} (an edit, a poll), or only in the error. */
  private static String unsupported(JsonNode message) {
    String what = message.path("unsupported").path("type").asText("");
    if (what.isBlank()) {
      what = message.path("errors").path(0).path("title").asText("");
    }
    return what.isBlank() ? "[unsupported message]" : "[unsupported message: " + what + "]";
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
