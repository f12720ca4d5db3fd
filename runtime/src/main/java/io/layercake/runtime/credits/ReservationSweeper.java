package io.layercake.runtime.credits;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Wakes organizations whose reservations are overdue but that are not in memory (passivated, or
 * the node restarted), so their expiry still happens. Runs as a cluster singleton; the org entity's
 * own timers handle the organizations that are in memory.
 */
public final class ReservationSweeper {
  private static final int BATCH = 500;

  /** The sweeper's own messages; they never leave its node. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Swept(List<CreditReports.OverdueReservation> overdue, Throwable failure) implements Command {}

  private ReservationSweeper() {}

  public static Behavior<Command> create(CreditReports reports, Organizations organizations, Duration interval, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      return idle(context, reports, organizations, clock);
    }));
  }

  private static Behavior<Command> idle(
      ActorContext<Command> context, CreditReports reports, Organizations organizations, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          context.pipeToSelf(reports.overdueReservations(clock.instant(), BATCH), Swept::new);
          return sweeping(context, reports, organizations, clock);
        })
        .build();
  }

  /** While a query runs, ticks are dropped: one sweep at a time. */
  private static Behavior<Command> sweeping(
      ActorContext<Command> context, CreditReports reports, Organizations organizations, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, Behaviors::same)
        .onMessage(Swept.class, swept -> {
          if (swept.failure() != null) {
            context.getLog().warn("Could not look for overdue reservations: {}", swept.failure().getMessage());
          } else if (!swept.overdue().isEmpty()) {
            context.getLog().info("Waking {} organization(s) to expire overdue reservations", swept.overdue().size());
            swept.overdue().forEach(overdue -> organizations.expire(overdue.orgId(), overdue.reservationId()));
          }
          return idle(context, reports, organizations, clock);
        })
        .build();
  }
}
