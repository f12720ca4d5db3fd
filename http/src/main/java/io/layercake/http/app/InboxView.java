package io.layercake.http.app;

import java.util.List;
import java.util.Optional;

/**
 * The inbox: the conversations the filters find (newest activity first, a page at a time) and, when
 * one is open, that conversation with its messages, the team's notes and what a person can do.
 */
public record InboxView(Filters filters, List<Row> rows, String nextCursor, Optional<Conversation> open, Marks marks) {

  /** The read model's change marks, taken before the page was read: the live stream reports what changed since. */
  public record Marks(String inbox, String conversation) {}

  /** What the person asked for; empty strings for "any". */
  public record Filters(String q, String status, String channel, String assignee) {

    /** A link to {@code path} (which may have a query already) that keeps the filters. */
    public String on(String path) {
      String query = query();
      return query.isEmpty() ? path : path + (path.contains("?") ? "&" : "?") + query;
    }

    /** The filters as a query string ({@code q=...&status=...}), empty when there are none. */
    public String query() {
      StringBuilder query = new StringBuilder();
      append(query, "q", q);
      append(query, "status", status);
      append(query, "channel", channel);
      append(query, "assignee", assignee);
      return query.toString();
    }

    private static void append(StringBuilder query, String name, String value) {
      if (!value.isEmpty()) {
        query.append(query.length() == 0 ? "" : "&").append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  public record Row(String sessionId, String contact, String channel, String client, String status, boolean waiting, boolean unread,
      String assignee, String preview, String when, boolean selected) {}

  /**
   * {@code windowClosed}: why free text cannot reach the customer now (empty while it can); {@code templates}:
   * the approved WhatsApp templates that can, when that is the channel.
   */
  public record Conversation(String sessionId, String contact, String channel, String client, String agentId, String status,
      long creditsUsed, boolean mayWrite, String assigneeUserId, List<Teammate> teammates, List<Message> messages, Long olderBefore, List<Note> notes,
      List<CannedReply> cannedReplies, String windowClosed, List<TemplateOption> templates) {

    public boolean waiting() {
      return status.equals("handed_off");
    }
  }

  public record Teammate(String userId, String name) {}

  /** An approved template: {@code key} is {@code name|language}; {@code values} how many it takes. */
  public record TemplateOption(String key, String name, String language, int values, String body) {}

  /** One step of what happened in a conversation and why, from its journal. */
  public record Step(long sequence, String when, String summary) {}

  /** {@code from}: customer, agent or team. {@code ticks}: what the channel reported of delivery, in words. */
  public record Message(String from, String author, String text, String when, String ticks, String reaction) {}

  public record Note(String author, String text, String when) {}

  public record CannedReply(String title, String text) {}
}
