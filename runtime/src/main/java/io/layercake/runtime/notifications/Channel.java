package io.layercake.runtime.notifications;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a notification goes beyond the app's bell (which always has it). {@link #DIGEST} is the
 * daily email of low-priority ones; {@link #WEBHOOK} is the organization's outbound webhooks
 * (event {@code notification.created}), once per event rather than per person.
 */
public enum Channel {
  EMAIL(true),
  PUSH(true),
  PUSHOVER(true),
  DIGEST(false),
  WEBHOOK(false);

  private final boolean personal;

  Channel(boolean personal) {
    this.personal = personal;
  }

  /** A channel a person can switch on and off for themselves. */
  public boolean personal() {
    return personal;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Channel> parse(String wireName) {
    return Arrays.stream(values()).filter(channel -> channel.wireName().equals(wireName)).findFirst();
  }
}
