package io.layercake.runtime.notifications;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Turns the organizations' events that are not routed yet into people's notifications and their
 * deliveries, each event once: who hears of it follows their role's scopes, where it goes follows
 * {@link DeliveryPolicy}; a burst of one type within the collapse window joins one notification.
 */
public interface NotificationRouter {
  /** Routes up to {@code limit} events; answers how many it routed. */
  CompletionStage<Integer> routeDue(int limit, Instant now);
}
