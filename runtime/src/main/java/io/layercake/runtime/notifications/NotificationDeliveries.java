package io.layercake.runtime.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Deliveries waiting to go out. A claim pushes a delivery's due time ahead so another node does not
 * send it too; a digest is claimed as one delivery per person holding all their due low-priority
 * notifications.
 */
public interface NotificationDeliveries {
  CompletionStage<List<Due>> claimDue(Instant now, Duration claimFor, int limit);

  CompletionStage<Void> sent(Due due, Instant at);

  /** A failed try: due again at {@code retryAt}, or failed for good when that is empty. */
  CompletionStage<Void> failed(Due due, String error, Optional<Instant> retryAt, Instant at);

  /**
   * The person a delivery goes to; {@code pushoverKey} opened from its sealed form when they have
   * one, {@code browsers} their web push subscriptions (for a push delivery).
   */
  record Recipient(String userId, String email, String name, Optional<String> pushoverKey,
      List<PushSubscriptions.Subscription> browsers) {
    public Recipient {
      browsers = List.copyOf(browsers);
    }

    @Override
    public String toString() {
      return "Recipient[userId=" + userId + "]";
    }
  }

  /**
   * One delivery on one channel: its notifications (one; a digest's all), the try this is
   * ({@code attempts}, counting this one).
   */
  record Due(Channel channel, Recipient recipient, List<Notification> notifications, int attempts) {
    public Due {
      notifications = List.copyOf(notifications);
    }

    public Notification first() {
      return notifications.get(0);
    }
  }
}
