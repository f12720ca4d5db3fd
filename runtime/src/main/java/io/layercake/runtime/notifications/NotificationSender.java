package io.layercake.runtime.notifications;

import java.util.concurrent.CompletionStage;

/** Sends a delivery on one channel; completes with a short receipt, or fails ({@link Undeliverable}: never retried). */
public interface NotificationSender {
  CompletionStage<String> send(NotificationDeliveries.Due due);

  /** A delivery that cannot succeed by trying again: a refused key, an expired subscription, no such address. */
  final class Undeliverable extends RuntimeException {
    public Undeliverable(String message) {
      super(message);
    }
  }
}
