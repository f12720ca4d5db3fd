package io.layercake.runtime.feed;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * An organization's feed: broadcasts it received, activity (a new client, an agent going live)
 * and platform messages, newest first, each with comments and reactions; and the broadcasts an
 * organization sent, with how many organizations they reached.
 */
public interface Feed {
  String BROADCAST = "broadcast";
  String ACTIVITY = "activity";
  String PLATFORM = "platform";
  /** The reactions an item takes. */
  java.util.Set<String> REACTIONS = java.util.Set.of("like", "love", "celebrate", "eyes");

  CompletionStage<Page> items(String orgId, Optional<Cursor> before, int limit, String userId);

  /** An item of any organization: the caller checks it may see {@code orgId} of it. */
  CompletionStage<Optional<Item>> item(String itemId, String userId);

  CompletionStage<Comment> comment(String itemId, String userId, String authorName, String text, Instant at);

  /** Adds or takes away the person's reaction; answers the item's counts. */
  CompletionStage<Map<String, Long>> react(String itemId, String userId, String emoji, boolean on, Instant at);

  /** A mark that changes with any new item, comment or reaction of the organization's feed. */
  CompletionStage<String> changeMark(String orgId);

  CompletionStage<List<SentBroadcast>> sentBy(String orgId, int limit);

  record Cursor(Instant createdAt, String itemId) {}

  record Page(List<Item> items, Optional<Cursor> next) {}

  /** {@code reactions}: emoji to count; {@code mine}: the emoji the asking person reacted with. */
  record Item(String itemId, String orgId, String kind, String title, String body, String author, Instant createdAt,
      List<Comment> comments, Map<String, Long> reactions, List<String> mine) {}

  record Comment(String commentId, String itemId, String userId, String authorName, String text, Instant createdAt) {}

  /** {@code organizations}: how many feeds it reached (0 until the fan-out ran). */
  record SentBroadcast(String broadcastId, BroadcastEntity.Audience audience, String title, String priority, String author,
      Instant createdAt, long organizations) {}
}
