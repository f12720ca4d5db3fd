package io.layercake.runtime.bookings;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.bookings.CalendarEntity.Booked;
import io.layercake.runtime.bookings.CalendarEntity.Changed;
import io.layercake.runtime.bookings.CalendarEntity.Command;
import io.layercake.runtime.bookings.CalendarEntity.Event;
import io.layercake.runtime.bookings.CalendarEntity.NotFree;
import io.layercake.runtime.bookings.CalendarEntity.Rejected;
import io.layercake.runtime.bookings.CalendarEntity.Reply;
import io.layercake.runtime.bookings.CalendarEntity.State;
import io.layercake.runtime.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client's calendar books only free slots on its grid (opening hours, service durations, buffer,
 * closed days, notice and horizon), answers the nearest free times otherwise, books a repeated
 * request once, and frees a slot when an appointment is declined or moved.
 */
class CalendarEntityTest {
  /** Monday 7 December 2026, 08:00 in Berlin. */
  private static final Instant NOW = Instant.parse("2026-12-07T07:00:00Z");
  private static final Availability PLUMBER = new Availability("Europe/Berlin",
      Map.of("monday", List.of("08:00-12:00", "13:00-17:00"), "tuesday", List.of("08:00-12:00", "13:00-17:00"),
          "thursday", List.of("08:00-12:00")),
      30, 15, List.of("2026-12-24"), Map.of("Boiler service", 60), 30, 120, 60, 24);
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeEach
  void start() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), CalendarEntity.create("plumber", new ManualClock(NOW)));
    kit.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void withoutAvailabilityABookingIsARequestForAPerson() {
    assertThat(book("k-1", "s-1", "boiler service", "2026-12-08 10:00")).isEqualTo(new CalendarEntity.NoAvailability());
  }

  @Test
  void refusesAvailabilityThatCannotBeUsed() {
    Availability overlapping = new Availability("Europe/Berlin", Map.of("monday", List.of("08:00-12:00", "11:00-13:00")), 30, 0,
        List.of(), Map.of(), 30, 0, 30, 0);
    Availability unknownZone = new Availability("Mars/Olympus", Map.of(), 30, 0, List.of(), Map.of(), 30, 0, 30, 0);
    Availability badRange = new Availability("UTC", Map.of("funday", List.of("08:00-12:00")), 30, 0, List.of(), Map.of(), 30, 0, 30, 0);
    for (Availability wrong : List.of(overlapping, unknownZone, badRange)) {
      var result = kit.<Reply>runCommand(replyTo -> new CalendarEntity.SetAvailability(wrong, "user:u_1", replyTo));
      assertThat(result.reply()).isInstanceOf(Rejected.class);
      assertThat(result.hasNoEvents()).isTrue();
    }
  }

  @Test
  void booksAFreeSlotForTheServicesDurationOnceAndRefusesAnOverlapWithTheNearestFreeTimes() {
    setAvailability();
    Reply first = book("s-1:1:call-1", "s-1", "boiler service", "2026-12-08 10:00");
    assertThat(first).isInstanceOf(Booked.class);
    Appointment booked = ((Booked) first).appointment();
    assertThat(booked.start()).isEqualTo(Instant.parse("2026-12-08T09:00:00Z"));
    assertThat(booked.end()).as("the boiler service takes an hour").isEqualTo(Instant.parse("2026-12-08T10:00:00Z"));
    assertThat(((Booked) first).reminderHoursBefore()).isEqualTo(24);

    Reply repeated = book("s-1:1:call-1", "s-1", "boiler service", "2026-12-08 10:00");
    assertThat(repeated).isEqualTo(new Booked(booked, true, "Europe/Berlin", 24));

    Reply overlap = book("s-2:1:call-1", "s-2", "leak", "2026-12-08 10:30");
    assertThat(overlap).isInstanceOf(NotFree.class);
    assertThat(((NotFree) overlap).nearest()).as("10:00-11:00 taken, 15 minutes kept free either side").containsExactly(
        Instant.parse("2026-12-08T07:30:00Z"), Instant.parse("2026-12-08T08:00:00Z"), Instant.parse("2026-12-08T10:30:00Z"));
    assertThat(kit.restart().state().appointments()).containsOnlyKeys(booked.bookingId());
  }

  @Test
  void refusesClosedDaysOffGridTimesTooShortNoticeAndWhatItCannotRead() {
    setAvailability();
    assertThat(book("k-1", "s-1", "leak", "2026-12-24 10:00")).as("closed on the 24th").isInstanceOf(NotFree.class);
    assertThat(book("k-2", "s-1", "leak", "2026-12-09 10:00")).as("closed on Wednesdays").isInstanceOf(NotFree.class);
    assertThat(book("k-3", "s-1", "leak", "2026-12-08 10:10")).as("not on the half-hour grid").isInstanceOf(NotFree.class);
    assertThat(book("k-4", "s-1", "leak", "2026-12-07 09:00")).as("less than two hours' notice").isInstanceOf(NotFree.class);
    assertThat(book("k-5", "s-1", "boiler service", "2026-12-10 11:30")).as("an hour does not fit before 12:00").isInstanceOf(NotFree.class);
    assertThat(book("k-6", "s-1", "leak", "2027-03-01 10:00")).as("beyond 60 days").isInstanceOf(NotFree.class);
    Reply unread = book("k-7", "s-1", "leak", "next Tuesday morning");
    assertThat(((NotFree) unread).reason()).contains("is not a date and time");
    assertThat(((NotFree) unread).nearest()).first().as("the first free start after the notice").isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
    assertThat(book("k-8", "s-1", "leak", "2026-12-10T11:30")).isInstanceOf(Booked.class);
  }

  @Test
  void aDeclinedAppointmentFreesItsSlotAndAMovedOneOnlyGoesWhereItFits() {
    setAvailability();
    Appointment first = ((Booked) book("k-1", "s-1", "leak", "2026-12-08 10:00")).appointment();
    Appointment second = ((Booked) book("k-2", "s-2", "leak", "2026-12-08 14:00")).appointment();

    var moved = kit.<Reply>runCommand(replyTo -> new CalendarEntity.Reschedule(second.bookingId(), "2026-12-08 10:00", "user:u_1", replyTo));
    assertThat(moved.reply()).as("taken by the first").isInstanceOf(Rejected.class);
    assertThat(((Rejected) moved.reply()).message()).contains("2026-12-08");
    var elsewhere = kit.<Reply>runCommand(replyTo -> new CalendarEntity.Reschedule(second.bookingId(), "2026-12-08 15:00", "user:u_1", replyTo));
    assertThat(((Changed) elsewhere.reply()).appointment().start()).isEqualTo(Instant.parse("2026-12-08T14:00:00Z"));

    var declined = kit.<Reply>runCommand(replyTo -> new CalendarEntity.Decide(first.bookingId(), CalendarEntity.Decision.DECLINE, "user:u_1",
        replyTo));
    assertThat(((Changed) declined.reply()).appointment().status()).isEqualTo(Appointment.Status.DECLINED);
    assertThat(book("k-3", "s-3", "leak", "2026-12-08 10:00")).as("the slot is free again").isInstanceOf(Booked.class);
    var confirmDeclined = kit.<Reply>runCommand(replyTo -> new CalendarEntity.Decide(first.bookingId(), CalendarEntity.Decision.CONFIRM,
        "user:u_1", replyTo));
    assertThat(confirmDeclined.reply()).isInstanceOf(Rejected.class);
    var unknown = kit.<Reply>runCommand(replyTo -> new CalendarEntity.Decide("appt_nope", CalendarEntity.Decision.CONFIRM, "user:u_1",
        replyTo));
    assertThat(((Rejected) unknown.reply()).reason()).isEqualTo(CalendarEntity.Reason.NOT_FOUND);
  }

  private void setAvailability() {
    var set = kit.<Reply>runCommand(replyTo -> new CalendarEntity.SetAvailability(PLUMBER, "user:u_1", replyTo));
    assertThat(set.reply()).isInstanceOf(CalendarEntity.CalendarView.class);
  }

  private Reply book(String key, String sessionId, String service, String time) {
    return kit.<Reply>runCommand(replyTo -> new CalendarEntity.Book(
        new BookingRequest(key, sessionId, "agent-1", "whatsapp", "+4915100000" + sessionId.length(), service, time, "agent agent-1"),
        replyTo)).reply();
  }
}
