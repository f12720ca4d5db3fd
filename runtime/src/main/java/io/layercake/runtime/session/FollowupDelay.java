package io.layercake.runtime.session;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a delay as people and models write it: {@code 45s}, {@code 30m}, {@code 2h}, {@code 1d} or ISO
 * {@code PT2H}; {@code schedule_followup} takes 1 minute to 30 days, a sequence's step its own bounds.
 */
public final class FollowupDelay {
  static final Duration MIN = Duration.ofMinutes(1);
  static final Duration MAX = Duration.ofDays(30);
  private static final Pattern SHORT = Pattern.compile("(\\d{1,5})\\s*(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?)");

  private FollowupDelay() {}

  /** The delay {@code text} gives for {@code schedule_followup}: 1 minute to 30 days. */
  public static Optional<Duration> parse(String text) {
    return parse(text, MIN, MAX);
  }

  /** The delay {@code text} gives, when it lies between {@code min} and {@code max}. */
  public static Optional<Duration> parse(String text, Duration min, Duration max) {
    if (text == null) {
      return Optional.empty();
    }
    String value = text.strip().toLowerCase(Locale.ROOT);
    Duration delay;
    Matcher matcher = SHORT.matcher(value);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      delay = switch (matcher.group(2).charAt(0)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } else {
      try {
        delay = Duration.parse(value.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return delay.compareTo(min) < 0 || delay.compareTo(max) > 0 ? Optional.empty() : Optional.of(delay);
  }
}
