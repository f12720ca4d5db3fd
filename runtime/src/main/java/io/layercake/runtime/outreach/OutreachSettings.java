package io.layercake.runtime.outreach;

import io.layercake.runtime.session.FollowupDelay;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What an organization decided about the messages the platform starts on its behalf (follow-ups,
 * appointment reminders): its quiet hours in its own time zone, when nothing is started (answers to a
 * customer who wrote are not affected), and the WhatsApp templates that carry a follow-up or a
 * reminder once the customer's 24-hour window has closed ({@code null}: none, the message is dropped
 * with the reason). A template given here takes no parameter or one, the message's text. {@code review}:
 * the client's review requests, null when it asks for none.
 */
public record OutreachSettings(String timeZone, String quietFrom, String quietUntil, TemplateChoice followupTemplate,
    TemplateChoice reminderTemplate, ReviewRequests review) {

  public static final OutreachSettings NONE = new OutreachSettings("UTC", null, null, null, null, null);

  public OutreachSettings(String timeZone, String quietFrom, String quietUntil, TemplateChoice followupTemplate,
      TemplateChoice reminderTemplate) {
    this(timeZone, quietFrom, quietUntil, followupTemplate, reminderTemplate, null);
  }

  /** A synced template by name and language; {@code takesText}: its one parameter is the message's text. */
  public record TemplateChoice(String name, String language, boolean takesText) {}

  /**
   * A review request after a completed booking or a conversation closed as a success: {@code text}
   * sent {@code delay} later ({@code 2h}, {@code 1d}) with the tracked link in place of {@code {link}}
   * (added at the end when the text has none), at most once per customer every {@code periodDays};
   * {@code template} carries it once WhatsApp's window is closed (its one parameter: the text).
   */
  public record ReviewRequests(String link, String delay, int periodDays, String text, TemplateChoice template) {
    public static final String LINK = "{link}";

    public Duration pause() {
      return FollowupDelay.parse(delay, Duration.ZERO, FollowupSequence.MAX_DELAY).orElseThrow();
    }

    /** {@code text} with the tracked link in place of {@link #LINK}, or at its end when it has none. */
    public static String withLink(String text, String trackedLink) {
      return text.contains(LINK) ? text.replace(LINK, trackedLink) : text.strip() + " " + trackedLink;
    }

    Optional<String> problem() {
      if (link == null || !link.startsWith("https://") || link.length() > 2048 || link.chars().anyMatch(Character::isWhitespace)) {
        return Optional.of("review.link must be an https:// address of at most 2048 characters");
      }
      if (FollowupDelay.parse(delay, Duration.ZERO, FollowupSequence.MAX_DELAY).isEmpty()) {
        return Optional.of("review.delay must be a delay from 0s to 90d such as 2h or 1d");
      }
      if (periodDays < 1 || periodDays > 3650) {
        return Optional.of("review.periodDays must be between 1 and 3650");
      }
      if (text == null || text.isBlank() || text.length() > 1000) {
        return Optional.of("review.text must be 1 to 1000 characters");
      }
      return Optional.empty();
    }
  }

  /** What is wrong with the settings, or empty. */
  public Optional<String> problem() {
    if (review != null && review.problem().isPresent()) {
      return review.problem();
    }
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException | NullPointerException e) {
      return Optional.of("timeZone must be an IANA time zone such as Europe/Berlin");
    }
    if ((quietFrom == null) != (quietUntil == null)) {
      return Optional.of("quietFrom and quietUntil go together (both HH:MM, or neither)");
    }
    if (quietFrom != null && (time(quietFrom).isEmpty() || time(quietUntil).isEmpty() || quietFrom.equals(quietUntil))) {
      return Optional.of("quietFrom and quietUntil must be two different times HH:MM");
    }
    return Optional.empty();
  }

  /**
   * When a message the platform starts at {@code now} may go: empty for now, else the end of the
   * quiet hours it falls in (they may run over midnight, 21:00 to 08:00).
   */
  public Optional<Instant> quietUntil(Instant now) {
    if (quietFrom == null || quietUntil == null) {
      return Optional.empty();
    }
    ZoneId zone = ZoneId.of(timeZone);
    ZonedDateTime local = now.atZone(zone);
    LocalTime from = time(quietFrom).orElseThrow();
    LocalTime until = time(quietUntil).orElseThrow();
    LocalTime at = local.toLocalTime();
    boolean overnight = from.isAfter(until);
    boolean quiet = overnight ? !at.isBefore(from) || at.isBefore(until) : !at.isBefore(from) && at.isBefore(until);
    if (!quiet) {
      return Optional.empty();
    }
    LocalDate day = overnight && !at.isBefore(from) ? local.toLocalDate().plusDays(1) : local.toLocalDate();
    return Optional.of(day.atTime(until).atZone(zone).toInstant());
  }

  private static Optional<LocalTime> time(String text) {
    if (text == null || !text.matches("\\d{2}:\\d{2}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalTime.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
