package io.layercake.runtime.bookings;

import io.layercake.runtime.concurrent.Stages;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The clients' calendars, by organization id. */
public final class Calendars implements BookingDesk {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Executor executor;

  public Calendars(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.executor = system.executionContext();
  }

  public CompletionStage<CalendarEntity.Reply> setAvailability(String orgId, Availability availability, String by) {
    return Stages.on(calendar(orgId).ask(replyTo -> new CalendarEntity.SetAvailability(availability, by, replyTo), askTimeout), executor);
  }

  @Override
  public CompletionStage<CalendarEntity.Reply> book(String orgId, BookingRequest request) {
    return Stages.on(calendar(orgId).ask(replyTo -> new CalendarEntity.Book(request, replyTo), askTimeout), executor);
  }

  public CompletionStage<CalendarEntity.Reply> decide(String orgId, String bookingId, CalendarEntity.Decision decision, String by) {
    return Stages.on(calendar(orgId).ask(replyTo -> new CalendarEntity.Decide(bookingId, decision, by, replyTo), askTimeout), executor);
  }

  public CompletionStage<CalendarEntity.Reply> reschedule(String orgId, String bookingId, String newTime, String by) {
    return Stages.on(calendar(orgId).ask(replyTo -> new CalendarEntity.Reschedule(bookingId, newTime, by, replyTo), askTimeout), executor);
  }

  public CompletionStage<CalendarEntity.Reply> get(String orgId) {
    return Stages.on(calendar(orgId).ask(CalendarEntity.Get::new, askTimeout), executor);
  }

  private EntityRef<CalendarEntity.Command> calendar(String orgId) {
    return sharding.entityRefFor(CalendarEntity.TYPE_KEY, orgId);
  }
}
