package io.layercake.runtime.notifications;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A person's notifications and choices, and each organization's map of types to channels. Every
 * read and change names the person: nobody reaches another's notifications.
 */
public interface Notifications {
  /** Newest first; {@code before}: the last notification of the previous page. */
  CompletionStage<Page> list(String userId, boolean unreadOnly, Optional<Cursor> before, int limit);

  /** One of the person's notifications with its deliveries. */
  CompletionStage<Optional<Notification>> find(String userId, String notificationId);

  /** False when the person has no such notification. */
  CompletionStage<Boolean> markRead(String userId, String notificationId, Instant at);

  /** How many were unread. */
  CompletionStage<Integer> markAllRead(String userId, Instant at);

  /** The unread count, and a mark that changes whenever any of the person's notifications does. */
  CompletionStage<Unread> unread(String userId);

  CompletionStage<Preferences> preferences(String userId);

  /** Sets ({@code enabled} present) or clears a choice for an organization or {@link Preferences#EVERY_ORGANIZATION}. */
  CompletionStage<Void> choose(String userId, String orgId, Channel channel, Optional<Boolean> enabled, Instant at);

  /** Stores the person's Pushover user key (sealed), or removes it when empty. */
  CompletionStage<Void> pushoverKey(String userId, Optional<String> userKey, Instant at);

  CompletionStage<Boolean> hasPushoverKey(String userId);

  /** The organization's map: type to the channels it goes to, for the types it set. */
  CompletionStage<Map<String, Set<Channel>>> routes(String orgId);

  /** Sets a type's channels, or returns the type to its priority's default when empty. */
  CompletionStage<Void> route(String orgId, String type, Optional<Set<Channel>> channels, Instant at);

  record Cursor(Instant createdAt, String notificationId) {}

  record Page(List<Notification> notifications, int unread, Optional<Cursor> next) {}

  record Unread(int count, String mark) {}
}
