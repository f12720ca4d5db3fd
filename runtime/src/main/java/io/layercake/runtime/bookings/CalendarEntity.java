package io.layercake.runtime.bookings;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A client's calendar ({@code Calendar|orgId}): its availability and the appointments that hold
 * slots. It is the one writer of both, so two conversations asking for the same slot at the same
 * moment get it once: the first is booked, the second hears the nearest free times. A booking
 * carries a key (the conversation's tool call); asking again with it answers the first booking.
 * Appointments that ended a week before the latest event leave the state; the read model keeps them.
 */
public final class CalendarEntity
    extends EventSourcedBehaviorWithEnforcedReplies<CalendarEntity.Command, CalendarEntity.Event, CalendarEntity.State> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Calendar");
  public static final String TAG = "calendars";
  private static final Duration KEPT_AFTER_END = Duration.ofDays(7);
  private static final int NEAREST = 3;
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]");

  // ---- commands ----

  public sealed interface Command extends JsonSerializable {}

  public record SetAvailability(Availability availability, String by, ActorRef<Reply> replyTo) implements Command {}

  public record Book(BookingRequest request, ActorRef<Reply> replyTo) implements Command {}

  public enum Decision { CONFIRM, DECLINE, CANCEL }

  public record Decide(String bookingId, Decision decision, String by, ActorRef<Reply> replyTo) implements Command {}

  public record Reschedule(String bookingId, String newTime, String by, ActorRef<Reply> replyTo) implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  // ---- replies ----

  public sealed interface Reply extends JsonSerializable {}

  /** {@code reminderHoursBefore}: how long before the appointment the customer is reminded (0: not at all). */
  public record Booked(Appointment appointment, boolean repeated, String timeZone, int reminderHoursBefore) implements Reply {}

  /** The time asked for cannot be booked: why, and the nearest free starts. */
  public record NotFree(String reason, List<Instant> nearest, String timeZone) implements Reply {}

  /** The client has not set its availability: bookings are requests for a person to arrange. */
  public record NoAvailability() implements Reply {}

  public record Changed(Appointment appointment, String timeZone, int reminderHoursBefore) implements Reply {}

  public record CalendarView(Availability availability, List<Appointment> appointments) implements Reply {}

  public enum Reason { INVALID, NOT_FOUND, CONFLICT }

  public record Rejected(Reason reason, String message) implements Reply {}

  // ---- events ----

  public sealed interface Event extends JsonSerializable {}

  public record AvailabilitySet(Availability availability, String by, Instant at) implements Event {}

  public record AppointmentBooked(Appointment appointment, String key) implements Event {}

  public record AppointmentDecided(String bookingId, Decision decision, String by, Instant at) implements Event {}

  public record AppointmentRescheduled(String bookingId, Instant start, Instant end, String by, Instant at) implements Event {}

  // ---- state ----

  /** The availability (null until set), the appointments by id, and booking keys to the appointment they made. */
  public record State(Availability availability, Map<String, Appointment> appointments, Map<String, String> keys) implements JsonSerializable {
    public State {
      appointments = Map.copyOf(appointments);
      keys = Map.copyOf(keys);
    }

    Optional<Appointment> appointment(String bookingId) {
      return Optional.ofNullable(appointments.get(bookingId));
    }
  }

  private final Clock clock;

  private CalendarEntity(String orgId, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), orgId));
    this.clock = clock;
  }

  public static Behavior<Command> create(String orgId, Clock clock) {
    return new CalendarEntity(orgId, clock);
  }

  @Override
  public State emptyState() {
    return new State(null, Map.of(), Map.of());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(SetAvailability.class, this::onSetAvailability)
        .onCommand(Book.class, this::onBook)
        .onCommand(Decide.class, this::onDecide)
        .onCommand(Reschedule.class, this::onReschedule)
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), new CalendarView(state.availability(),
            state.appointments().values().stream().sorted(Comparator.comparing(Appointment::start)).toList())))
        .build();
  }

  private ReplyEffect<Event, State> onSetAvailability(State state, SetAvailability command) {
    Optional<String> problem = command.availability() == null ? Optional.of("availability is required") : command.availability().problem();
    if (problem.isPresent()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, problem.get()));
    }
    return Effect().persist(new AvailabilitySet(command.availability(), command.by(), clock.instant()))
        .thenReply(command.replyTo(), after -> new CalendarView(after.availability(), List.of()));
  }

  private ReplyEffect<Event, State> onBook(State state, Book book) {
    BookingRequest command = book.request();
    Availability availability = state.availability();
    if (availability == null) {
      return Effect().reply(book.replyTo(), new NoAvailability());
    }
    String zone = availability.timeZone();
    Optional<Appointment> earlier = Optional.ofNullable(state.keys().get(command.key())).flatMap(state::appointment);
    if (earlier.isPresent()) {
      return Effect().reply(book.replyTo(), new Booked(earlier.get(), true, zone, availability.reminderHoursBefore()));
    }
    Instant now = clock.instant();
    int minutes = availability.minutesFor(command.service());
    Schedule schedule = new Schedule(availability, state.appointments().values(), now);
    Optional<Instant> start = parse(command.requestedTime(), availability);
    if (start.isEmpty()) {
      return Effect().reply(book.replyTo(), new NotFree("the time '" + command.requestedTime() + "' is not a date and time"
          + " (YYYY-MM-DD HH:MM)", schedule.freeFrom(now, minutes, NEAREST), zone));
    }
    Optional<Appointment> same = state.appointments().values().stream()
        .filter(held -> held.holdsItsSlot() && held.sessionId() != null && held.sessionId().equals(command.sessionId())
            && held.start().equals(start.get()))
        .findFirst();
    if (same.isPresent()) {
      return Effect().reply(book.replyTo(), new Booked(same.get(), true, zone, availability.reminderHoursBefore()));
    }
    if (!schedule.isFree(start.get(), minutes, null)) {
      return Effect().reply(book.replyTo(), new NotFree("that time is not free", schedule.nearest(start.get(), minutes, NEAREST), zone));
    }
    Appointment appointment = new Appointment("appt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
        command.sessionId(), command.agentId(), command.channel(), command.contact(), blankTo(command.service(), "appointment"),
        start.get(), start.get().plus(Duration.ofMinutes(minutes)), Appointment.Status.BOOKED, command.bookedBy(), now);
    return Effect().persist(new AppointmentBooked(appointment, command.key()))
        .thenReply(book.replyTo(), after -> new Booked(appointment, false, zone, availability.reminderHoursBefore()));
  }

  private ReplyEffect<Event, State> onDecide(State state, Decide command) {
    Optional<Appointment> found = state.appointment(command.bookingId());
    if (found.isEmpty()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.NOT_FOUND, "no appointment " + command.bookingId()));
    }
    Appointment appointment = found.get();
    Appointment.Status next = switch (command.decision()) {
      case CONFIRM -> Appointment.Status.CONFIRMED;
      case DECLINE -> Appointment.Status.DECLINED;
      case CANCEL -> Appointment.Status.CANCELLED;
    };
    if (appointment.status() == next) {
      return Effect().reply(command.replyTo(), new Changed(appointment, zone(state), reminderHours(state)));
    }
    if (!appointment.holdsItsSlot() || (next == Appointment.Status.DECLINED && appointment.status() == Appointment.Status.CONFIRMED)) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.CONFLICT,
          "the appointment is " + appointment.status().wireName() + "; it cannot be " + next.wireName() + " now"));
    }
    return Effect().persist(new AppointmentDecided(command.bookingId(), command.decision(), command.by(), clock.instant()))
        .thenReply(command.replyTo(), after -> new Changed(after.appointments().get(command.bookingId()), zone(after), reminderHours(after)));
  }

  private ReplyEffect<Event, State> onReschedule(State state, Reschedule command) {
    Optional<Appointment> found = state.appointment(command.bookingId());
    if (found.isEmpty()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.NOT_FOUND, "no appointment " + command.bookingId()));
    }
    if (!found.get().holdsItsSlot() || state.availability() == null) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.CONFLICT, "only a booked or confirmed appointment moves"));
    }
    Availability availability = state.availability();
    Optional<Instant> start = parse(command.newTime(), availability);
    if (start.isEmpty()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "newTime must be YYYY-MM-DD HH:MM in " + availability.timeZone()));
    }
    int minutes = (int) Duration.between(found.get().start(), found.get().end()).toMinutes();
    Schedule schedule = new Schedule(availability, state.appointments().values(), clock.instant());
    if (!schedule.isFree(start.get(), minutes, command.bookingId())) {
      List<Instant> nearest = schedule.nearest(start.get(), minutes, NEAREST);
      return Effect().reply(command.replyTo(), new Rejected(Reason.CONFLICT, "that time is not free; the nearest free starts are "
          + nearest.stream().map(at -> LocalDateTime.ofInstant(at, availability.zone()).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
              .toList()));
    }
    return Effect().persist(new AppointmentRescheduled(command.bookingId(), start.get(), start.get().plus(Duration.ofMinutes(minutes)),
            command.by(), clock.instant()))
        .thenReply(command.replyTo(), after -> new Changed(after.appointments().get(command.bookingId()), zone(after), reminderHours(after)));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(AvailabilitySet.class, (state, event) -> new State(event.availability(), state.appointments(), state.keys()))
        .onEvent(AppointmentBooked.class, (state, event) -> {
          Map<String, Appointment> appointments = kept(state, event.appointment().bookedAt());
          appointments.put(event.appointment().bookingId(), event.appointment());
          Map<String, String> keys = new HashMap<>(state.keys());
          keys.values().retainAll(appointments.keySet());
          if (event.key() != null) {
            keys.put(event.key(), event.appointment().bookingId());
          }
          return new State(state.availability(), appointments, keys);
        })
        .onEvent(AppointmentDecided.class, (state, event) -> changed(state, event.bookingId(), event.at(), appointment -> appointment.with(
            switch (event.decision()) {
              case CONFIRM -> Appointment.Status.CONFIRMED;
              case DECLINE -> Appointment.Status.DECLINED;
              case CANCEL -> Appointment.Status.CANCELLED;
            })))
        .onEvent(AppointmentRescheduled.class, (state, event) -> changed(state, event.bookingId(), event.at(),
            appointment -> appointment.movedTo(event.start(), event.end())))
        .build();
  }

  private static State changed(State state, String bookingId, Instant at, java.util.function.UnaryOperator<Appointment> change) {
    Map<String, Appointment> appointments = kept(state, at);
    Appointment appointment = state.appointments().get(bookingId);
    if (appointment != null) {
      appointments.put(bookingId, change.apply(appointment));
    }
    return new State(state.availability(), appointments, state.keys());
  }

  /** The appointments still worth holding at {@code at}: those that ended less than a week before. */
  private static Map<String, Appointment> kept(State state, Instant at) {
    Map<String, Appointment> kept = new HashMap<>();
    state.appointments().forEach((id, appointment) -> {
      if (appointment.end().plus(KEPT_AFTER_END).isAfter(at)) {
        kept.put(id, appointment);
      }
    });
    return kept;
  }

  private static int reminderHours(State state) {
    return state.availability() == null ? 0 : state.availability().reminderHoursBefore();
  }

  private static String zone(State state) {
    return state.availability() == null ? "UTC" : state.availability().timeZone();
  }

  /** A local date and time ({@code 2026-12-10 10:00}, or with a {@code T}) in the client's zone. */
  static Optional<Instant> parse(String requested, Availability availability) {
    if (requested == null || requested.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(requested.strip(), LOCAL).atZone(availability.zone()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String blankTo(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.strip();
  }
}
