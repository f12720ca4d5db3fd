package io.layercake.runtime.notifications;

import io.layercake.runtime.access.Scopes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every notification type: its priority, who may hear of it (a scope of their role), and how an
 * organization's event reads as one ({@link #describe}) and as a burst ({@link #summary}). The
 * README's notification table is this list written out.
 */
public final class NotificationCatalog {
  /** A message from the platform's staff; its priority and text come with it. */
  public static final String PLATFORM_MESSAGE = "platform.message";
  /** A broadcast with a priority: its sender's words, to the people of its audience. */
  public static final String BROADCAST = "broadcast";
  /** A direct message left unread: it goes to its reader only, whatever their organizations. */
  public static final String DM_UNREAD = "dm.unread";
  /** The organization direct-message reminders are written under (they belong to no organization). */
  public static final String DIRECT_ORG = "direct";
  /** Whoever hands a conversation to "the team" waits for a person; anyone else took it over themselves. */
  private static final String TEAM = "team";

  /** One type: its default priority, the scope a person needs, its title, and a burst's title ({@code %d}: how many). */
  public record Type(String type, Priority priority, String scope, String title, String burstTitle,
      Function<Map<String, Object>, String> body, Function<Map<String, Object>, String> link) {}

  public static final List<Type> TYPES = List.of(
      new Type("conversation.handed_off", Priority.HIGH, Scopes.CONVERSATIONS_READ, "A conversation waits for a person",
          "%d conversations wait for a person", data -> text(data, "reason", "The agent handed it over."), NotificationCatalog::inbox),
      new Type("conversation.handoff_unanswered", Priority.HIGH, Scopes.CONVERSATIONS_READ, "A hand-off is still unanswered",
          "%d hand-offs are still unanswered", data -> "Nobody has written to the customer yet.", NotificationCatalog::inbox),
      new Type("approval.requested", Priority.HIGH, Scopes.APPROVALS_WRITE, "The agent asks for your approval",
          "%d approvals wait for a decision", data -> "It wants to " + text(data, "kind", "act") + ".", NotificationCatalog::inbox),
      new Type("booking.requested", Priority.HIGH, Scopes.CONVERSATIONS_READ, "A customer asks for an appointment",
          "%d booking requests", data -> join(text(data, "service", "An appointment"), text(data, "requestedTime", "")),
          NotificationCatalog::inbox),
      new Type("lead.captured", Priority.NORMAL, Scopes.CONVERSATIONS_READ, "New lead", "%d new leads",
          data -> join(text(data, "name", "A customer"), text(data, "need", "")), NotificationCatalog::inbox),
      new Type("conversation.turn_failed", Priority.NORMAL, Scopes.CONVERSATIONS_READ, "The agent could not answer",
          "%d answers failed", data -> text(data, "reason", "The model did not answer."), NotificationCatalog::inbox),
      new Type("conversation.reply_blocked", Priority.NORMAL, Scopes.CONVERSATIONS_READ, "A reply could not be sent",
          "%d replies could not be sent", data -> text(data, "reason", "The channel refused it."), NotificationCatalog::inbox),
      new Type("credits.low", Priority.NORMAL, Scopes.CREDITS_READ, "Credits are running low", "Credits are running low",
          data -> "Buy credits before the agent stops answering.", data -> "/app/billing"),
      new Type("credits.exhausted", Priority.HIGH, Scopes.CREDITS_READ, "Credits are used up", "Credits are used up",
          data -> "The agent hands conversations to people until credits are bought.", data -> "/app/billing"),
      new Type("billing.payment_failed", Priority.HIGH, Scopes.BILLING_WRITE, "A payment failed", "%d payments failed",
          data -> "Stripe could not charge the card; update it to keep the subscription.", data -> "/app/billing"),
      new Type("webhook.failing", Priority.HIGH, Scopes.WEBHOOKS_WRITE, "A webhook endpoint keeps failing",
          "%d webhook deliveries were given up", data -> text(data, "url", "An endpoint") + " did not accept " + text(data, "type",
              "an event") + ": " + text(data, "error", "no answer") + ".", data -> "/app/team"),
      new Type("number.bought", Priority.LOW, Scopes.AGENTS_WRITE, "An SMS number is yours", "%d SMS numbers bought",
          data -> text(data, "number", "The number") + " is ready to send and receive.", data -> "/app/channels"),
      new Type("number.cancelled", Priority.LOW, Scopes.AGENTS_WRITE, "An SMS number was cancelled", "%d SMS numbers cancelled",
          data -> text(data, "number", "The number") + " no longer sends or receives.", data -> "/app/channels"),
      new Type(DM_UNREAD, Priority.NORMAL, "", "Unread message", "%d unread direct messages",
          data -> text(data, "preview", ""), data -> "/app/messages/" + text(data, "threadId", "")),
      new Type(BROADCAST, Priority.NORMAL, "", "Broadcast", "%d broadcasts", data -> text(data, "body", ""),
          data -> text(data, "link", "/app/feed")),
      new Type(PLATFORM_MESSAGE, Priority.NORMAL, "", "Message from the platform", "%d messages from the platform",
          data -> text(data, "body", ""), data -> text(data, "link", "")));

  private static final Map<String, Type> BY_NAME = byName();

  private NotificationCatalog() {}

  public static Optional<Type> type(String type) {
    return Optional.ofNullable(BY_NAME.get(type));
  }

  /**
   * What people of {@code orgName} are told about an event of kind {@code kind}; empty when it is
   * not a notification for people (an unknown kind, a take-over by a person).
   */
  public static Optional<Notice> describe(String kind, Map<String, Object> data, String orgName) {
    Type type = BY_NAME.get(kind);
    if (type == null || (kind.equals("conversation.handed_off") && !TEAM.equals(data.get("by")))) {
      return Optional.empty();
    }
    if (kind.equals(PLATFORM_MESSAGE) || kind.equals(BROADCAST)) {
      Priority priority = Priority.parse(text(data, "priority", "normal")).orElse(Priority.NORMAL);
      return Optional.of(new Notice(kind, priority, cut(text(data, "title", type.title()), 300), cut(type.body().apply(data), 2000),
          nullIfEmpty(type.link().apply(data)), data, type.scope()));
    }
    if (kind.equals(DM_UNREAD)) {
      return Optional.of(new Notice(kind, type.priority(), cut("Unread message from " + text(data, "from", "someone"), 300),
          cut(type.body().apply(data), 2000), type.link().apply(data), data, type.scope()));
    }
    String title = orgName == null || orgName.isBlank() ? type.title() : type.title() + " · " + orgName;
    return Optional.of(new Notice(kind, type.priority(), cut(title, 300), cut(type.body().apply(data), 2000),
        nullIfEmpty(type.link().apply(data)), data, type.scope()));
  }

  /** Whether the event carries its own priority and words (a platform message, a broadcast) and is never collapsed. */
  public static boolean spoken(String kind) {
    return kind.equals(PLATFORM_MESSAGE) || kind.equals(BROADCAST);
  }

  /** A collapsed notification's title: "12 conversations wait for a person · Schmidt Sanitär". */
  public static String summary(String kind, int occurrences, String title) {
    Type type = BY_NAME.get(kind);
    if (type == null || occurrences < 2) {
      return title;
    }
    int suffix = title.lastIndexOf(" · ");
    String burst = String.format(java.util.Locale.ROOT, type.burstTitle(), occurrences);
    return cut(suffix < 0 ? burst : burst + title.substring(suffix), 300);
  }

  private static String inbox(Map<String, Object> data) {
    Object sessionId = data.get("sessionId");
    return sessionId == null ? "/app/inbox" : "/app/inbox/" + sessionId;
  }

  private static String text(Map<String, Object> data, String key, String otherwise) {
    Object value = data.get(key);
    return value == null || value.toString().isBlank() ? otherwise : value.toString();
  }

  private static String join(String first, String second) {
    return second.isBlank() ? first : first + ": " + second;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String nullIfEmpty(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static Map<String, Type> byName() {
    Map<String, Type> byName = new LinkedHashMap<>();
    for (Type type : TYPES) {
      byName.put(type.type(), type);
    }
    return Map.copyOf(byName);
  }
}
