package io.layercake.runtime.notify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Outbound webhooks: subscriptions, the event feed they receive (also pulled by dashboards), and
 * the deliveries of each event to each subscription with their attempts.
 */
public interface Webhooks {
  /** Event types an organization may subscribe to. */
  Set<String> TYPES = Set.of("conversation.started", "conversation.closed", "conversation.handed_off", "message.received",
      "approval.requested", "credits.low", "credits.exhausted", "contact.opted_out", "contact.opted_in",
      "conversation.reply_blocked", "notification.created");

  CompletionStage<Subscription> subscribe(String orgId, String url, Set<String> eventTypes);

  CompletionStage<List<Subscription>> subscriptions(String orgId);

  CompletionStage<Optional<Subscription>> subscription(String orgId, String subscriptionId);

  CompletionStage<Boolean> unsubscribe(String orgId, String subscriptionId);

  /** The organizations' events after the cursor (an event id), oldest first. */
  CompletionStage<List<FeedEvent>> events(List<String> orgIds, long after, int limit);

  CompletionStage<List<Delivery>> deliveries(String subscriptionId, int limit);

  /** The type of a test event; it goes to the one subscription asked for, and is not in the feed. */
  String TEST_EVENT = "webhook.test";

  /** Queues a {@link #TEST_EVENT} for one subscription of the organization; empty when it has no such subscription. */
  CompletionStage<Optional<Long>> sendTest(String orgId, String subscriptionId);

  /**
   * Deliveries due now, at most one per subscription and conversation, and only the earliest pending
   * one of each, so a conversation's events arrive in order.
   */
  CompletionStage<List<DueDelivery>> due(Instant now, int limit);

  CompletionStage<Void> delivered(long eventId, String subscriptionId, int statusCode, Instant at);

  /** A failed attempt: tried again at {@code nextAttemptAt}, or given up when that is null. */
  CompletionStage<Void> failed(long eventId, String subscriptionId, Integer statusCode, String error, Instant nextAttemptAt);

  record Subscription(String subscriptionId, String orgId, String url, String secret, Set<String> eventTypes, Instant createdAt) {
    public Subscription {
      eventTypes = Set.copyOf(eventTypes);
    }
  }

  record FeedEvent(long eventId, String orgId, String sessionId, String type, long sequence, String payload, Instant createdAt) {}

  record Delivery(
      long eventId, String subscriptionId, String type, String status, int attempts, Integer lastStatusCode, String lastError,
      Instant nextAttemptAt, Instant deliveredAt) {}

  record DueDelivery(FeedEvent event, String subscriptionId, String url, String secret, int attempts, Instant firstTriedAt) {}
}
