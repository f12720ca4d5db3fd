package io.layercake.runtime.notify;

import java.util.concurrent.CompletionStage;

/** Posts one signed event to a subscriber; answers the HTTP status, or fails when the subscriber is unreachable. */
public interface WebhookSender {
  CompletionStage<Integer> post(Webhooks.DueDelivery delivery);
}
