package io.layercake.runtime.messages;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What decides and lists direct messages besides the threads themselves: each person's rule and
 * blocks, organizations' cross-organization switch, the people someone may write to, and the inbox
 * of threads (a read model of the threads' events) with unread counts.
 */
public interface Messaging {
  /** What {@link MessagingPolicy} needs about a person; empty for an unknown or disabled person. */
  CompletionStage<Optional<MessagingPolicy.Person>> person(String userId);

  CompletionStage<Settings> settings(String userId);

  CompletionStage<Void> setRule(String userId, MessagingPolicy.WhoMayMessage rule, Duration remindAfter, Instant at);

  CompletionStage<Void> block(String userId, String blockedUserId, boolean blocked, Instant at);

  CompletionStage<Boolean> crossOrgAllowed(String orgId);

  CompletionStage<Void> allowCrossOrg(String orgId, boolean allowed, Instant at);

  /** A person's name, for a thread's title. */
  CompletionStage<Optional<String>> name(String userId);

  /** People sharing an organization with {@code userId} or reached through an agency, by name. */
  CompletionStage<List<Contact>> contacts(String userId);

  /** The person's threads, latest first, with the other person and unread counts. */
  CompletionStage<List<InboxThread>> inbox(String userId, int limit);

  /** A mark that changes whenever any of the person's threads does (a new message, a read, an edit). */
  CompletionStage<String> changeMark(String userId);

  /** {@code remindAfter}: an unread message older than this becomes a notification. */
  record Settings(MessagingPolicy.WhoMayMessage whoMayMessage, Duration remindAfter, Set<String> blocked) {
    public Settings {
      blocked = Set.copyOf(blocked);
    }
  }

  record Contact(String userId, String name, String email, String orgId, String orgName) {}

  record InboxThread(String threadId, String otherUserId, String otherName, long lastSeq, Instant lastMessageAt, String lastPreview,
      String lastSenderId, long unread) {}
}
