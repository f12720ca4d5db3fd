package io.layercake.config;

import java.time.Duration;

/**
 * Notifications to people: how often new ones are routed and due deliveries sent, how long a burst
 * of one type is gathered into one notification (and external deliveries wait for it), the hour of
 * the daily digest, retries, and the Pushover API.
 *
 * @param pollInterval how often the notifier routes new events and sends due deliveries
 * @param collapseWindow events of one type for one person within this window of the first become one notification
 * @param gatherDelay a non-critical notification's email and pushes wait this long, so a burst goes out as one summary
 * @param digestHourUtc the hour (UTC) low-priority notifications go out as one daily email
 * @param maxAttempts tries of one delivery before it is recorded as failed
 * @param retryMin the first pause after a failed try; pauses double up to {@code retryMax}
 * @param pushover the Pushover messages API
 * @param webPushSubject who push services may contact about our pushes (VAPID {@code sub}): a {@code mailto:} or {@code https:} URL
 */
public record NotificationSettings(
    Duration pollInterval,
    Duration collapseWindow,
    Duration gatherDelay,
    int digestHourUtc,
    int maxAttempts,
    Duration retryMin,
    Duration retryMax,
    Pushover pushover,
    String webPushSubject) {

  /**
   * @param apiUrl where the messages API lives ({@code https://api.pushover.net}); tests point it at a stub
   * @param appToken the platform's Pushover application token; empty: Pushover is off
   */
  public record Pushover(String apiUrl, Secret appToken) {
    public boolean enabled() {
      return !appToken.reveal().isBlank();
    }

    @Override
    public String toString() {
      return "Pushover[apiUrl=" + apiUrl + ", appToken=" + appToken + "]";
    }
  }

  /** The defaults a node starts with, for tests that build settings by hand. */
  public static NotificationSettings defaults() {
    return new NotificationSettings(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(15), 8, 6,
        Duration.ofSeconds(10), Duration.ofHours(1), new Pushover("https://api.pushover.net", Secret.of("")),
        "mailto:no-reply@layercake.local");
  }

  public NotificationSettings withPushover(Pushover other) {
    return new NotificationSettings(pollInterval, collapseWindow, gatherDelay, digestHourUtc, maxAttempts, retryMin, retryMax, other, webPushSubject);
  }

  public NotificationSettings withTiming(Duration otherPoll, Duration otherCollapse, Duration otherGather, Duration otherRetryMin) {
    return new NotificationSettings(otherPoll, otherCollapse, otherGather, digestHourUtc, maxAttempts, otherRetryMin, retryMax, pushover, webPushSubject);
  }
}
