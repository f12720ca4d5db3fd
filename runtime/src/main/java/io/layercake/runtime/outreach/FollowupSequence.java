package io.layercake.runtime.outreach;

import io.layercake.runtime.session.FollowupDelay;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An agent's named series of messages to a customer: each step waits its delay after the previous
 * one (the first after the start), then sends its text (or, outside WhatsApp's window, its template).
 * Started by the agent's {@code start_sequence} tool, by a person, or by an event ({@link Trigger});
 * a step marked {@code onlyIfNoReply} is skipped once the customer wrote since the sequence started.
 * By default the customer writing or booking ends it; an opt-out always does.
 */
public record FollowupSequence(String agentId, String name, Trigger trigger, List<Step> steps, boolean stopOnReply,
    boolean stopOnBooking) {

  public static final int MAX_STEPS = 10;
  public static final Duration MAX_DELAY = Duration.ofDays(90);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public FollowupSequence {
    steps = steps == null ? List.of() : List.copyOf(steps);
    trigger = trigger == null ? Trigger.MANUAL : trigger;
  }

  /** What starts a sequence besides a person or the agent's tool, which may start any. */
  public enum Trigger {
    /** Only a person or the agent's {@code start_sequence} tool. */
    MANUAL,
    /** The agent recorded the customer's details ({@code capture_lead}). */
    LEAD_CAPTURED,
    /** An appointment was booked in the conversation. */
    BOOKING_COMPLETED,
    /** The conversation was closed without a booking in it. */
    CLOSED_WITHOUT_BOOKING;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Trigger> named(String wireName) {
      for (Trigger trigger : values()) {
        if (trigger.wireName().equals(wireName)) {
          return Optional.of(trigger);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One message of the sequence. {@code delay} as people write it ({@code 45s}, {@code 30m}, {@code 2h},
   * {@code 3d}); {@code template}: what goes instead of {@code text} once WhatsApp's window is closed
   * (null: the organization's follow-up template, if any).
   */
  public record Step(String delay, String text, OutreachSettings.TemplateChoice template, boolean onlyIfNoReply) {
    public Duration pause() {
      return FollowupDelay.parse(delay, Duration.ZERO, MAX_DELAY).orElseThrow();
    }
  }

  /** What is wrong with the sequence, or empty. */
  public Optional<String> problem() {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.of("name must be 1 to 64 lower-case letters, digits, '-' or '_'");
    }
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      return Optional.of("a sequence has 1 to " + MAX_STEPS + " steps");
    }
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (FollowupDelay.parse(step.delay(), Duration.ZERO, MAX_DELAY).isEmpty()) {
        return Optional.of("steps[" + i + "].delay must be a delay from 0s to 90d such as 45s, 30m, 2h or 3d");
      }
      if (step.text() == null || step.text().isBlank() || step.text().length() > 4096) {
        return Optional.of("steps[" + i + "].text must be 1 to 4096 characters");
      }
      if (step.template() != null && (blank(step.template().name()) || blank(step.template().language()))) {
        return Optional.of("steps[" + i + "].template needs a name and a language");
      }
    }
    return Optional.empty();
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
