package io.layercake.runtime.bookings;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a {@code book_appointment} call came to, in words for the model, and the reminder the
 * conversation sends before a booked appointment (when the client's availability asks for one).
 * {@code done}: booked, or recorded as a request for the business; {@code booked}: the appointment, when one was made.
 */
public record BookingOutcome(String text, boolean done, Optional<Appointment> booked, Optional<Reminder> reminder) {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter ASKABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH);

  /** A message to the customer at {@code dueAt}, known to the conversation as {@code reminderId}. */
  public record Reminder(String reminderId, Instant dueAt, String text) {}

  /** The calendar's answer to a booking of {@code service} at {@code requested}. */
  public static BookingOutcome of(CalendarEntity.Reply reply, Instant now, String service, String requested) {
    if (reply instanceof CalendarEntity.Booked booked) {
      Appointment appointment = booked.appointment();
      String zone = booked.timeZone();
      String when = when(appointment, zone);
      Optional<Reminder> reminder = reminder(appointment, booked.reminderHoursBefore(), now, when);
      return new BookingOutcome("Booked: " + appointment.service() + " on " + when + " (" + zone + "), booking "
          + appointment.bookingId() + ". Tell the customer it is booked; the business may still confirm it.", true, Optional.of(appointment), reminder);
    }
    if (reply instanceof CalendarEntity.NotFree notFree) {
      ZoneId zone = ZoneId.of(notFree.timeZone());
      String nearest = notFree.nearest().isEmpty() ? "none in the coming weeks"
          : notFree.nearest().stream().map(at -> ASKABLE.format(at.atZone(zone))).collect(Collectors.joining(", "));
      return new BookingOutcome("Not booked: " + notFree.reason() + ". The nearest free times (" + zone + ") are: " + nearest
          + ". Offer them to the customer and book the one they choose.", false, Optional.empty(), Optional.empty());
    }
    if (reply instanceof CalendarEntity.NoAvailability) {
      return requested(service, requested);
    }
    return failed(String.valueOf(reply));
  }

  /** No calendar to book into: the request is recorded for the business to arrange. */
  public static BookingOutcome requested(String service, String requested) {
    return new BookingOutcome("The booking request (" + (service == null ? "appointment" : service) + ", "
        + (requested == null ? "time to be agreed" : requested) + ") is recorded; the business will confirm it.", true, Optional.empty(),
        Optional.empty());
  }

  public static BookingOutcome failed(String why) {
    return new BookingOutcome("Not booked: the calendar could not be reached (" + why + "). Tell the customer someone from the "
        + "business will confirm a time.", false, Optional.empty(), Optional.empty());
  }

  /** The id the conversation knows an appointment's reminder by, whatever its time. */
  public static String reminderPrefix(String bookingId) {
    return "reminder:" + bookingId + ":";
  }

  /** The reminder before an appointment, when it is still ahead. */
  public static Optional<Reminder> reminder(Appointment appointment, int hoursBefore, Instant now, String when) {
    if (hoursBefore <= 0) {
      return Optional.empty();
    }
    Instant dueAt = appointment.start().minus(Duration.ofHours(hoursBefore));
    if (!dueAt.isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(new Reminder(reminderPrefix(appointment.bookingId()) + appointment.start().toEpochMilli(), dueAt,
        "Reminder: your " + appointment.service() + " appointment is on " + when + "."));
  }

  /** The wording of an appointment's time in its client's zone, for reminders arranged later. */
  public static String when(Appointment appointment, String timeZone) {
    ZoneId zone = ZoneId.of(timeZone);
    return WHEN.format(appointment.start().atZone(zone)) + "–" + TIME.format(appointment.end().atZone(zone));
  }

}
