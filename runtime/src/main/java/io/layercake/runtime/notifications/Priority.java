package io.layercake.runtime.notifications;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How urgent a notification is, which decides where it goes: {@code critical} (platform messages
 * only) to every channel a person has, unmutable; {@code high} to the app, push and email by
 * default; {@code normal} to the app; {@code low} into the daily digest.
 */
public enum Priority {
  CRITICAL(2),
  HIGH(1),
  NORMAL(0),
  LOW(-1);

  private final int pushover;

  Priority(int pushover) {
    this.pushover = pushover;
  }

  /** Pushover's priority: 2 (emergency, repeated until acknowledged), 1 (high), 0, -1 (quiet). */
  public int pushoverPriority() {
    return pushover;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Priority> parse(String wireName) {
    return Arrays.stream(values()).filter(priority -> priority.wireName().equals(wireName)).findFirst();
  }
}
