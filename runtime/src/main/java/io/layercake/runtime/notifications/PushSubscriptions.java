package io.layercake.runtime.notifications;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Browsers a person subscribed to web push: each its push service's endpoint and the keys its
 * payloads are encrypted for. An endpoint belongs to one person; subscribing it again moves it.
 */
public interface PushSubscriptions {
  CompletionStage<Subscription> subscribe(String userId, String endpoint, String p256dh, String auth, String userAgent, Instant at);

  CompletionStage<List<Subscription>> list(String userId);

  /** False when the person has no such subscription. */
  CompletionStage<Boolean> remove(String userId, String subscriptionId);

  /** A push service said the subscription expired (404, 410): it is forgotten. */
  CompletionStage<Void> expired(String subscriptionId);

  /** {@code p256dh} and {@code auth} are base64url, as browsers give them. */
  record Subscription(String subscriptionId, String userId, String endpoint, String p256dh, String auth, String userAgent,
      Instant createdAt) {
    @Override
    public String toString() {
      return "Subscription[" + subscriptionId + "]";
    }
  }
}
