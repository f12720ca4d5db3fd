package io.layercake.http.bookings;

import io.layercake.runtime.bookings.Appointment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A client's appointments as an iCalendar feed (RFC 5545) that calendar apps subscribe to: times in
 * UTC, a booked appointment tentative and a confirmed one confirmed, text escaped and lines folded
 * at 75 octets. It names the client only.
 */
final class IcsCalendar {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private IcsCalendar() {}

  static String of(String calendarName, List<Appointment> appointments, Instant now) {
    StringBuilder ics = new StringBuilder();
    line(ics, "BEGIN:VCALENDAR");
    line(ics, "VERSION:2.0");
    line(ics, "PRODID:-//Appointments//EN");
    line(ics, "CALSCALE:GREGORIAN");
    line(ics, "X-WR-CALNAME:" + escape(calendarName));
    for (Appointment appointment : appointments) {
      if (!appointment.holdsItsSlot()) {
        continue;
      }
      line(ics, "BEGIN:VEVENT");
      line(ics, "UID:" + appointment.bookingId() + "@appointments");
      line(ics, "DTSTAMP:" + UTC.format(now));
      line(ics, "DTSTART:" + UTC.format(appointment.start()));
      line(ics, "DTEND:" + UTC.format(appointment.end()));
      line(ics, "SUMMARY:" + escape(appointment.service() + (appointment.contact() == null ? "" : " – " + appointment.contact())));
      line(ics, "DESCRIPTION:" + escape("Booked by " + (appointment.bookedBy() == null ? "the team" : appointment.bookedBy())
          + (appointment.channel() == null ? "" : " over " + appointment.channel()) + "."));
      line(ics, "STATUS:" + (appointment.status() == Appointment.Status.CONFIRMED ? "CONFIRMED" : "TENTATIVE"));
      line(ics, "END:VEVENT");
    }
    line(ics, "END:VCALENDAR");
    return ics.toString();
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n");
  }

  /** Appends one content line, folded so no line exceeds 75 octets (continuations start with a space). */
  private static void line(StringBuilder ics, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    boolean first = true;
    while (start < bytes.length) {
      int limit = first ? 75 : 74;
      int end = Math.min(bytes.length, start + limit);
      while (end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
        end--; // never split a UTF-8 character
      }
      if (!first) {
        ics.append(' ');
      }
      ics.append(new String(bytes, start, end - start, StandardCharsets.UTF_8)).append("\r\n");
      start = end;
      first = false;
    }
    if (bytes.length == 0) {
      ics.append("\r\n");
    }
  }
}
