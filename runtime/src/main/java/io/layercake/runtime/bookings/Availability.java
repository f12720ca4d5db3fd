package io.layercake.runtime.bookings;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a client takes appointments, as data: opening hours per weekday ({@code "monday": ["08:00-12:00",
 * "13:00-17:00"]}) in its time zone, the slot grid, a buffer kept free around each appointment,
 * closed days, how long each service takes, how soon and how far ahead one may book, and how many
 * hours before an appointment the customer is reminded (0: no reminder).
 */
public record Availability(String timeZone, Map<String, List<String>> hours, int slotMinutes, int bufferMinutes, List<String> closedDates,
    Map<String, Integer> services, int defaultServiceMinutes, int minNoticeMinutes, int horizonDays, int reminderHoursBefore)
    implements JsonSerializable {
  private static final Pattern RANGE = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-4]):([0-5]\\d)");

  public Availability {
    hours = hours == null ? Map.of() : Map.copyOf(hours);
    closedDates = closedDates == null ? List.of() : List.copyOf(closedDates);
    services = services == null ? Map.of() : Map.copyOf(services);
  }

  /** What is wrong with it, in words for the person who set it; empty when it can be used. */
  public Optional<String> problem() {
    try {
      ZoneId.of(timeZone == null ? "" : timeZone);
    } catch (DateTimeException e) {
      return Optional.of("timeZone must be an IANA time zone such as Europe/Berlin");
    }
    for (Map.Entry<String, List<String>> day : hours.entrySet()) {
      if (weekday(day.getKey()).isEmpty()) {
        return Optional.of("hours are given per weekday: monday … sunday, not '" + day.getKey() + "'");
      }
      List<LocalTime[]> ranges = new ArrayList<>();
      for (String range : day.getValue()) {
        Optional<LocalTime[]> parsed = range(range);
        if (parsed.isEmpty()) {
          return Optional.of("opening hours are written HH:MM-HH:MM with the start first, not '" + range + "'");
        }
        for (LocalTime[] other : ranges) {
          if (parsed.get()[0].isBefore(other[1]) && other[0].isBefore(parsed.get()[1])) {
            return Optional.of("the opening hours of " + day.getKey() + " overlap");
          }
        }
        ranges.add(parsed.get());
      }
    }
    if (slotMinutes < 5 || slotMinutes > 480 || bufferMinutes < 0 || bufferMinutes > 240) {
      return Optional.of("slotMinutes must be 5 to 480 and bufferMinutes 0 to 240");
    }
    if (defaultServiceMinutes < 5 || defaultServiceMinutes > 1440 || services.size() > 50
        || services.entrySet().stream().anyMatch(service -> service.getKey().isBlank() || service.getKey().length() > 100
            || service.getValue() == null || service.getValue() < 5 || service.getValue() > 1440)) {
      return Optional.of("services take 5 to 1440 minutes each (at most 50 services, names up to 100 characters)");
    }
    if (closedDates.size() > 366) {
      return Optional.of("at most 366 closed dates");
    }
    for (String date : closedDates) {
      try {
        LocalDate.parse(date);
      } catch (DateTimeParseException e) {
        return Optional.of("closed dates are written YYYY-MM-DD, not '" + date + "'");
      }
    }
    if (minNoticeMinutes < 0 || minNoticeMinutes > 10_080 || horizonDays < 1 || horizonDays > 365
        || reminderHoursBefore < 0 || reminderHoursBefore > 168) {
      return Optional.of("minNoticeMinutes must be 0 to 10080, horizonDays 1 to 365 and reminderHoursBefore 0 to 168");
    }
    return Optional.empty();
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

  /** The opening intervals of a weekday, earliest first. */
  public List<LocalTime[]> openOn(DayOfWeek day) {
    List<LocalTime[]> open = new ArrayList<>();
    hours.forEach((name, ranges) -> {
      if (weekday(name).filter(day::equals).isPresent()) {
        ranges.forEach(range -> range(range).ifPresent(open::add));
      }
    });
    open.sort((a, b) -> a[0].compareTo(b[0]));
    return open;
  }

  public boolean closedOn(LocalDate date) {
    return closedDates.contains(date.toString());
  }

  /** How long the service takes: its own duration (names compared ignoring case), else the default. */
  public int minutesFor(String service) {
    if (service != null) {
      for (Map.Entry<String, Integer> known : services.entrySet()) {
        if (known.getKey().equalsIgnoreCase(service.strip())) {
          return known.getValue();
        }
      }
    }
    return defaultServiceMinutes;
  }

  private static Optional<DayOfWeek> weekday(String name) {
    try {
      return Optional.of(DayOfWeek.valueOf(name.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code 24:00} closes at midnight; a range must start before it ends. */
  private static Optional<LocalTime[]> range(String range) {
    Matcher matcher = RANGE.matcher(range == null ? "" : range.strip());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    LocalTime opens = LocalTime.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    int closingHour = Integer.parseInt(matcher.group(3));
    if (closingHour == 24 && !matcher.group(4).equals("00")) {
      return Optional.empty();
    }
    LocalTime closes = closingHour == 24 ? LocalTime.MAX : LocalTime.of(closingHour, Integer.parseInt(matcher.group(4)));
    return opens.isBefore(closes) ? Optional.of(new LocalTime[] {opens, closes}) : Optional.empty();
  }
}
