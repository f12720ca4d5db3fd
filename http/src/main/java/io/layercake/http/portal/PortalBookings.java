package io.layercake.http.portal;

import io.layercake.runtime.bookings.Appointment;
import io.layercake.runtime.bookings.Appointments;
import io.layercake.runtime.bookings.Availability;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bookings page: a week of the client's appointments by day in its time zone (or one day), each
 * with what may be done to it. {@code configured}: whether the client has set its availability.
 */
public record PortalBookings(boolean configured, String timeZone, String weekOf, String previousWeek, String nextWeek, Optional<String> day,
    List<Day> days) {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ENGLISH);

  public record Day(String date, String label, List<Row> appointments) {}

  /** {@code startInput}: the start as a datetime-local input's value, to move it from. */
  public record Row(String bookingId, String time, String service, String contact, String channel, String status, String sessionId,
      String startInput, boolean open) {}

  /** The week holding {@code anchor} (or the single {@code day}), from the appointments overlapping it. */
  static PortalBookings of(Availability availability, LocalDate anchor, Optional<LocalDate> day, List<Appointments.Listed> listed) {
    ZoneId zone = availability == null ? ZoneId.of("UTC") : availability.zone();
    LocalDate monday = anchor.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    List<Day> days = new ArrayList<>();
    for (LocalDate date = day.orElse(monday); days.size() < (day.isPresent() ? 1 : 7); date = date.plusDays(1)) {
      LocalDate current = date;
      List<Row> rows = listed.stream().map(Appointments.Listed::appointment)
          .filter(appointment -> appointment.start().atZone(zone).toLocalDate().equals(current))
          .map(appointment -> row(appointment, zone)).toList();
      days.add(new Day(current.toString(), DAY.format(current), rows));
    }
    return new PortalBookings(availability != null, zone.getId(), monday.toString(), monday.minusWeeks(1).toString(),
        monday.plusWeeks(1).toString(), day.map(LocalDate::toString), days);
  }

  /** The instants a page for {@code anchor} (or {@code day}) reads appointments between. */
  static Instant[] period(Availability availability, LocalDate anchor, Optional<LocalDate> day) {
    ZoneId zone = availability == null ? ZoneId.of("UTC") : availability.zone();
    LocalDate first = day.orElse(anchor.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
    LocalDate end = first.plusDays(day.isPresent() ? 1 : 7);
    return new Instant[] {first.atStartOfDay(zone).toInstant(), end.atStartOfDay(zone).toInstant()};
  }

  private static Row row(Appointment appointment, ZoneId zone) {
    return new Row(appointment.bookingId(), TIME.format(appointment.start().atZone(zone)) + "–" + TIME.format(appointment.end().atZone(zone)),
        appointment.service(), appointment.contact() == null ? "" : appointment.contact(), appointment.channel() == null ? "" : appointment.channel(),
        appointment.status().wireName(), appointment.sessionId() == null ? "" : appointment.sessionId(),
        INPUT.format(appointment.start().atZone(zone)), appointment.holdsItsSlot());
  }
}
