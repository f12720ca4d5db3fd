package io.layercake.runtime.notifications;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One thing a person is told, in the app and wherever {@link DeliveryPolicy} sends it. A burst of
 * one type collapses into one notification: {@code occurrences} counts the events, the title sums
 * them up. {@code deliveries} is filled when one notification is read, empty in lists.
 */
public record Notification(String notificationId, String userId, String orgId, String type, Priority priority, String title,
    String body, String link, Map<String, Object> metadata, int occurrences, Instant createdAt, Instant updatedAt, Instant readAt,
    List<Delivery> deliveries) {
  public Notification {
    metadata = Map.copyOf(metadata);
    deliveries = List.copyOf(deliveries);
  }

  public boolean read() {
    return readAt != null;
  }

  public Notification withDeliveries(List<Delivery> found) {
    return new Notification(notificationId, userId, orgId, type, priority, title, body, link, metadata, occurrences, createdAt,
        updatedAt, readAt, found);
  }

  /** How one channel fared: {@code pending} (due at {@code dueAt}), {@code sent}, or {@code failed} with the last error. */
  public record Delivery(Channel channel, String status, int attempts, Instant dueAt, Instant sentAt, String lastError) {
    public static final String PENDING = "pending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
  }
}
