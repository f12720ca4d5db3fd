package io.layercake.runtime.bookings;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Free slots from availability and the appointments already taken: a slot starts on the grid
 * (each opening interval's start plus whole slots), fits the service before the interval closes,
 * keeps the buffer free from every other appointment, and lies between the minimum notice and the
 * horizon. Pure, so the calendar entity and tests use the same arithmetic.
 */
public final class Schedule {
  /** How far either side of a requested time the nearest free slots are looked for. */
  private static final int NEAREST_WINDOW_DAYS = 14;

  private final Availability availability;
  private final Collection<Appointment> taken;
  private final Instant now;

  public Schedule(Availability availability, Collection<Appointment> taken, Instant now) {
    this.availability = availability;
    this.taken = taken.stream().filter(Appointment::holdsItsSlot).toList();
    this.now = now;
  }

  /** Whether an appointment of {@code minutes} may start at {@code start} (ignoring the appointment {@code except}, if any). */
  public boolean isFree(Instant start, int minutes, String except) {
    ZoneId zone = availability.zone();
    ZonedDateTime local = start.atZone(zone);
    return onGrid(local, minutes) && withinNoticeAndHorizon(start) && clear(start, start.plus(Duration.ofMinutes(minutes)), except);
  }

  /** Up to {@code limit} free starts from {@code from} on, earliest first. */
  public List<Instant> freeFrom(Instant from, int minutes, int limit) {
    List<Instant> free = new ArrayList<>();
    LocalDate day = max(from, earliest()).atZone(availability.zone()).toLocalDate();
    LocalDate last = latest().atZone(availability.zone()).toLocalDate();
    for (; !day.isAfter(last) && free.size() < limit; day = day.plusDays(1)) {
      for (Instant start : startsOn(day, minutes)) {
        if (!start.isBefore(from) && free.size() < limit && withinNoticeAndHorizon(start)
            && clear(start, start.plus(Duration.ofMinutes(minutes)), null)) {
          free.add(start);
        }
      }
    }
    return free;
  }

  /** The {@code count} free starts nearest to {@code requested} (within two weeks either side), earliest first. */
  public List<Instant> nearest(Instant requested, int minutes, int count) {
    Instant from = requested.minus(Duration.ofDays(NEAREST_WINDOW_DAYS));
    List<Instant> candidates = freeFrom(from, minutes, 10_000).stream()
        .filter(start -> start.isBefore(requested.plus(Duration.ofDays(NEAREST_WINDOW_DAYS)))).toList();
    if (candidates.isEmpty()) {
      return freeFrom(earliest(), minutes, count);
    }
    return candidates.stream()
        .sorted(Comparator.comparingLong((Instant start) -> Math.abs(Duration.between(requested, start).toMinutes())).thenComparing(start -> start))
        .limit(count).sorted().toList();
  }

  private List<Instant> startsOn(LocalDate day, int minutes) {
    List<Instant> starts = new ArrayList<>();
    if (availability.closedOn(day)) {
      return starts;
    }
    for (LocalTime[] open : availability.openOn(day.getDayOfWeek())) {
      ZonedDateTime closes = closing(day, open[1]);
      for (ZonedDateTime start = day.atTime(open[0]).atZone(availability.zone());
          !start.plusMinutes(minutes).isAfter(closes);
          start = start.plusMinutes(availability.slotMinutes())) {
        starts.add(start.toInstant());
      }
    }
    return starts;
  }

  private boolean onGrid(ZonedDateTime start, int minutes) {
    return startsOn(start.toLocalDate(), minutes).contains(start.toInstant());
  }

  private ZonedDateTime closing(LocalDate day, LocalTime closes) {
    return closes.equals(LocalTime.MAX) ? day.plusDays(1).atStartOfDay(availability.zone()) : day.atTime(closes).atZone(availability.zone());
  }

  private boolean withinNoticeAndHorizon(Instant start) {
    return !start.isBefore(earliest()) && start.isBefore(latest());
  }

  private boolean clear(Instant start, Instant end, String except) {
    Duration buffer = Duration.ofMinutes(availability.bufferMinutes());
    for (Appointment appointment : taken) {
      if (appointment.bookingId().equals(except)) {
        continue;
      }
      if (start.isBefore(appointment.end().plus(buffer)) && appointment.start().minus(buffer).isBefore(end)) {
        return false;
      }
    }
    return true;
  }

  private Instant earliest() {
    return now.plus(Duration.ofMinutes(availability.minNoticeMinutes()));
  }

  private Instant latest() {
    return now.plus(Duration.ofDays(availability.horizonDays()));
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
