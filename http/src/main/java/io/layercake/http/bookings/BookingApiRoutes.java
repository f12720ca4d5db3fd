package io.layercake.http.bookings;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.server.Json;
import io.layercake.runtime.bookings.Appointment;
import io.layercake.runtime.bookings.Appointments;
import io.layercake.runtime.bookings.Availability;
import io.layercake.runtime.bookings.BookingOutcome;
import io.layercake.runtime.bookings.CalendarEntity;
import io.layercake.runtime.bookings.Calendars;
import io.layercake.runtime.session.Sessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's calendar through the API: its availability, its appointments over a period, a change
 * to one (confirm, decline, cancel, move: its conversation's reminder follows), and the URL of its
 * .ics feed. An agency reaches its clients' calendars with {@code ?orgId=}.
 */
public final class BookingApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(BookingApiRoutes.class);
  private static final int MAX_APPOINTMENTS = 500;
  private static final Duration MAX_PERIOD = Duration.ofDays(92);

  private final ApiAccess access;
  private final Calendars calendars;
  private final Appointments appointments;
  private final Sessions sessions;
  private final Supplier<String> baseUrl;
  private final Clock clock;
  private final Executor executor;

  private final Function<String, CompletionStage<String>> calendarName;

  /** @param calendarName the name a client's feed carries (its portal's) */
  public BookingApiRoutes(ApiAccess access, Calendars calendars, Appointments appointments, Sessions sessions, Supplier<String> baseUrl,
      Function<String, CompletionStage<String>> calendarName, Clock clock, Executor executor) {
    this.calendarName = calendarName;
    this.access = access;
    this.calendars = calendars;
    this.appointments = appointments;
    this.sessions = sessions;
    this.baseUrl = baseUrl;
    this.clock = clock;
    this.executor = executor;
  }

  public record AvailabilityView(String orgId, boolean configured, Availability availability) {}

  public record AppointmentView(String bookingId, String orgId, String sessionId, String agentId, String channel, String contact,
      String service, Instant start, Instant end, String status, String bookedBy, Instant bookedAt) {

    static AppointmentView of(String orgId, Appointment appointment) {
      return new AppointmentView(appointment.bookingId(), orgId, appointment.sessionId(), appointment.agentId(), appointment.channel(),
          appointment.contact(), appointment.service(), appointment.start(), appointment.end(), appointment.status().wireName(),
          appointment.bookedBy(), appointment.bookedAt());
    }
  }

  public record AppointmentList(String orgId, Instant from, Instant to, List<AppointmentView> appointments) {}

  /** {@code action}: confirm, decline, cancel or reschedule (with {@code time}, local to the client, YYYY-MM-DD HH:MM). */
  public record AppointmentChange(String action, String time) {}

  public record CalendarFeed(String orgId, String url, String note) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.GET_AVAILABILITY, match -> access.inOrganization(caller, orgId ->
            onSuccess(calendars.get(orgId), reply -> reply instanceof CalendarEntity.CalendarView view
                ? complete(StatusCodes.OK, new AvailabilityView(orgId, view.availability() != null, view.availability()), Json.marshaller())
                : ApiAccess.refuse(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", String.valueOf(reply))))),
        access.operation(caller, ApiOperation.SET_AVAILABILITY, match -> access.inOrganization(caller, orgId ->
            entity(Jackson.unmarshaller(Json.MAPPER, Availability.class), availability ->
                onSuccess(calendars.setAvailability(orgId, availability, caller.actor()), reply ->
                    reply instanceof CalendarEntity.CalendarView view
                        ? complete(StatusCodes.OK, new AvailabilityView(orgId, true, view.availability()), Json.marshaller())
                        : rejected(reply))))),
        access.operation(caller, ApiOperation.LIST_APPOINTMENTS, match -> access.inOrganization(caller, orgId ->
            parameterOptional("from", from -> parameterOptional("to", to -> list(orgId, from, to))))),
        access.operation(caller, ApiOperation.CHANGE_APPOINTMENT, match -> onSuccess(appointments.find(match.variable("bookingId")),
            found -> found.map(listed -> access.visible(caller, listed.orgId(), "appointment " + match.variable("bookingId"), () ->
                    entity(Jackson.unmarshaller(Json.MAPPER, AppointmentChange.class), change -> change(caller, listed, change))))
                .orElseGet(() -> ApiAccess.notFound("appointment " + match.variable("bookingId"))))),
        access.operation(caller, ApiOperation.CREATE_CALENDAR_FEED, match -> access.inOrganization(caller, orgId ->
            onSuccess(appointments.newFeedToken(orgId, clock.instant()), token -> complete(StatusCodes.CREATED,
                new CalendarFeed(orgId, baseUrl.get() + "/calendar-feeds/" + token + ".ics",
                    "Subscribe to this URL in a calendar app. It is shown once; asking for a new one stops this one."),
                Json.marshaller())))));
  }

  /** {@code /calendar-feeds/{token}.ics}: a client's appointments from a month back to a year ahead, for calendar apps (no sign-in: the token is the key). */
  public Route feed() {
    return pathPrefix("calendar-feeds", () -> path(file -> get(() -> {
      String token = file.endsWith(".ics") ? file.substring(0, file.length() - 4) : "";
      if (!token.matches("[A-Za-z0-9_-]{16,64}")) {
        return ApiAccess.notFound("calendar feed");
      }
      Instant now = clock.instant();
      return onSuccess(appointments.feedOwner(token).thenComposeAsync(owner -> ics(owner, now), executor), ics -> ics
          .map(body -> respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE)),
              () -> complete(HttpResponse.create().withEntity(
                  HttpEntities.create(ContentTypes.create(MediaTypes.TEXT_CALENDAR, HttpCharsets.UTF_8), body)))))
          .orElseGet(() -> ApiAccess.notFound("calendar feed")));
    })));
  }

  private CompletionStage<Optional<String>> ics(Optional<String> owner, Instant now) {
    if (owner.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String orgId = owner.get();
    return calendarName.apply(orgId).thenCombine(appointments.between(orgId, now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(365)),
        5_000), (name, listed) -> Optional.of(IcsCalendar.of(name, listed.stream().map(Appointments.Listed::appointment).toList(), now)));
  }

  private Route list(String orgId, Optional<String> fromText, Optional<String> toText) {
    Instant from;
    Instant to;
    try {
      from = fromText.map(Instant::parse).orElse(clock.instant().truncatedTo(ChronoUnit.DAYS));
      to = toText.map(Instant::parse).orElse(from.plus(Duration.ofDays(7)));
    } catch (DateTimeParseException e) {
      return ApiAccess.invalid("from and to are instants such as 2026-12-07T00:00:00Z");
    }
    if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
      return ApiAccess.invalid("to must come after from, at most 92 days later");
    }
    return onSuccess(appointments.between(orgId, from, to, MAX_APPOINTMENTS), listed -> complete(StatusCodes.OK,
        new AppointmentList(orgId, from, to, listed.stream().map(found -> AppointmentView.of(found.orgId(), found.appointment())).toList()),
        Json.marshaller()));
  }

  private Route change(Caller caller, Appointments.Listed listed, AppointmentChange change) {
    String action = change.action() == null ? "" : change.action().strip().toLowerCase(Locale.ROOT);
    String bookingId = listed.appointment().bookingId();
    CompletionStage<CalendarEntity.Reply> reply = switch (action) {
      case "confirm" -> calendars.decide(listed.orgId(), bookingId, CalendarEntity.Decision.CONFIRM, caller.actor());
      case "decline" -> calendars.decide(listed.orgId(), bookingId, CalendarEntity.Decision.DECLINE, caller.actor());
      case "cancel" -> calendars.decide(listed.orgId(), bookingId, CalendarEntity.Decision.CANCEL, caller.actor());
      case "reschedule" -> change.time() == null || change.time().isBlank()
          ? CompletableFuture.completedFuture(new CalendarEntity.Rejected(CalendarEntity.Reason.INVALID, "reschedule needs time"))
          : calendars.reschedule(listed.orgId(), bookingId, change.time(), caller.actor());
      default -> CompletableFuture.completedFuture(
          new CalendarEntity.Rejected(CalendarEntity.Reason.INVALID, "action must be confirm, decline, cancel or reschedule"));
    };
    return onSuccess(reply.thenComposeAsync(answer -> followReminder(answer).thenApply(done -> answer), executor), answer ->
        answer instanceof CalendarEntity.Changed changed
            ? complete(StatusCodes.OK, AppointmentView.of(listed.orgId(), changed.appointment()), Json.marshaller())
            : rejected(answer));
  }

  /**
   * The conversation's reminder follows the appointment: dropped when it no longer holds its slot,
   * moved with it. A conversation that cannot be reached now keeps its old reminder (logged): the
   * change itself stands.
   */
  private CompletionStage<Void> followReminder(CalendarEntity.Reply answer) {
    if (!(answer instanceof CalendarEntity.Changed changed) || changed.appointment().sessionId() == null) {
      return CompletableFuture.completedFuture(null);
    }
    Appointment appointment = changed.appointment();
    Optional<BookingOutcome.Reminder> reminder = appointment.holdsItsSlot()
        ? BookingOutcome.reminder(appointment, changed.reminderHoursBefore(), clock.instant(),
            BookingOutcome.when(appointment, changed.timeZone()))
        : Optional.empty();
    return sessions.arrangeReminder(appointment.sessionId(), appointment.bookingId(), reminder.map(BookingOutcome.Reminder::dueAt).orElse(null),
            reminder.map(BookingOutcome.Reminder::text).orElse(null))
        .handle((done, failure) -> {
          if (failure != null) {
            log.warn("Appointment {} changed but its conversation {} did not take the new reminder", appointment.bookingId(),
                appointment.sessionId(), failure);
          }
          return null;
        });
  }

  private Route rejected(CalendarEntity.Reply reply) {
    if (reply instanceof CalendarEntity.Rejected rejected) {
      return switch (rejected.reason()) {
        case INVALID -> ApiAccess.invalid(rejected.message());
        case NOT_FOUND -> ApiAccess.notFound(rejected.message().replaceFirst("^no ", ""));
        case CONFLICT -> ApiAccess.refuse(StatusCodes.CONFLICT, "conflict", rejected.message());
      };
    }
    return ApiAccess.refuse(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", String.valueOf(reply));
  }

}
