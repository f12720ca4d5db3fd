package io.layercake.http.portal;

import io.layercake.runtime.bookings.Availability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings page's form for the client's availability: each weekday's opening hours as one line
 * ({@code 08:00-12:00, 13:00-17:00}), services as {@code name = minutes} lines, closed days as a
 * list; a client that has set nothing yet sees a working week to start from.
 */
public record PortalHours(boolean configured, String timeZone, List<Weekday> week, int slotMinutes, int bufferMinutes, String closedDates,
    String services, int defaultServiceMinutes, int minNoticeMinutes, int horizonDays, int reminderHoursBefore, boolean mayWrite) {
  private static final List<String> DAYS = List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

  public record Weekday(String name, String label, String hours) {}

  static PortalHours of(Availability availability, boolean mayWrite) {
    if (availability == null) {
      List<Weekday> week = new ArrayList<>();
      for (String day : DAYS) {
        week.add(new Weekday(day, label(day), day.equals("saturday") || day.equals("sunday") ? "" : "08:00-12:00, 13:00-17:00"));
      }
      return new PortalHours(false, "Europe/Berlin", week, 30, 15, "", "", 60, 120, 60, 24, mayWrite);
    }
    List<Weekday> week = DAYS.stream().map(day -> new Weekday(day, label(day),
        String.join(", ", availability.hours().getOrDefault(day, List.of())))).toList();
    String services = availability.services().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(service -> service.getKey() + " = " + service.getValue()).collect(Collectors.joining("\n"));
    return new PortalHours(true, availability.timeZone(), week, availability.slotMinutes(), availability.bufferMinutes(),
        String.join(", ", availability.closedDates()), services, availability.defaultServiceMinutes(), availability.minNoticeMinutes(),
        availability.horizonDays(), availability.reminderHoursBefore(), mayWrite);
  }

  private static String label(String day) {
    return Character.toUpperCase(day.charAt(0)) + day.substring(1);
  }
}
