package io.layercake.config;

import java.time.Duration;

/**
 * Outbound webhooks: how often due deliveries are looked for, the backoff between attempts
 * (doubling from {@code retryMin} up to {@code retryMax}), and after how long a delivery is given up.
 */
public record WebhookSettings(Duration pollInterval, Duration retryMin, Duration retryMax, Duration giveUpAfter, Duration timeout) {}
