package io.layercake.runtime.notify;

import java.util.concurrent.CompletionStage;

/** Posts one signed event to a subscriber; answers the HTTP status, or fails when the subscriber is unreachable. */
public interface WebhookSender {
  /**
   * Answers the HTTP status; fails with {@link RefusedTarget} when the subscriber's URL may not be posted to
   * (a delivery that is never tried again), with any other exception when it could not be reached.
   */
  CompletionStage<Integer> post(Webhooks.DueDelivery delivery);

  /** The subscription's URL is one Layercake does not post to (for example its host resolves to a private address). */
  final class RefusedTarget extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefusedTarget(String reason) {
      super(reason);
    }
  }
}
