package io.layercake.config;

import java.time.Duration;

/**
 * Outbound webhooks: how often due deliveries are looked for, the backoff between attempts
 * (doubling from {@code retryMin} up to {@code retryMax}), after how long a delivery is given up,
 * and which targets a subscription may name. By default only {@code https://} URLs whose host
 * resolves to public addresses are accepted; {@code allowPrivateTargets} also lets loopback,
 * private, link-local and metadata addresses through and {@code allowHttp} plain {@code http://}
 * (both for development and tests only).
 */
public record WebhookSettings(
    Duration pollInterval, Duration retryMin, Duration retryMax, Duration giveUpAfter, Duration timeout,
    boolean allowPrivateTargets, boolean allowHttp) {

  /** Public https targets only. */
  public WebhookSettings(
      Duration pollInterval, Duration retryMin, Duration retryMax, Duration giveUpAfter, Duration timeout) {
    this(pollInterval, retryMin, retryMax, giveUpAfter, timeout, false, false);
  }

  /** The same, also delivering to private addresses (a receiver on 127.0.0.1) over plain http: tests, development. */
  public WebhookSettings allowingPrivateHttpTargets() {
    return new WebhookSettings(pollInterval, retryMin, retryMax, giveUpAfter, timeout, true, true);
  }
}
