package io.layercake.runtime.outreach;

import java.time.DateTimeException;
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
 * with the reason). A template given here takes no parameter or one, the message's text.
 */
public record OutreachSettings(String timeZone, String quietFrom, String quietUntil, TemplateChoice followupTemplate,
    TemplateChoice reminderTemplate) {

  public static final OutreachSettings NONE = new OutreachSettings("UTC", null, null, null, null);

  /** A synced template by name and language; {@code takesText}: its one parameter is the message's text. */
  public record TemplateChoice(String name, String language, boolean takesText) {}

  /** What is wrong with the settings, or empty. */
  public Optional<String> problem() {
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
