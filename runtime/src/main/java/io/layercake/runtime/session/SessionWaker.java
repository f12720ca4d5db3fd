package io.layercake.runtime.session;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Wakes conversations that have overdue work but are not in memory (after a restart, or passivated
 * with a follow-up or an approval pending), so the work still happens. Runs as a cluster singleton;
 * conversations in memory keep their own timers and treat a wake as a no-op.
 */
public final class SessionWaker {
  private static final int BATCH = 500;

  /** The waker's own messages; they never leave its node. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Found(List<String> sessionIds, Throwable failure) implements Command {}

  private SessionWaker() {}

  public static Behavior<Command> create(SessionWakeups wakeups, Sessions sessions, Duration interval, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, interval);
      return idle(context, wakeups, sessions, clock);
    }));
  }

  private static Behavior<Command> idle(ActorContext<Command> context, SessionWakeups wakeups, Sessions sessions, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          context.pipeToSelf(wakeups.due(clock.instant(), BATCH), Found::new);
          return looking(context, wakeups, sessions, clock);
        })
        .build();
  }

  /** While a query runs, ticks are dropped: one look at a time. */
  private static Behavior<Command> looking(ActorContext<Command> context, SessionWakeups wakeups, Sessions sessions, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, Behaviors::same)
        .onMessage(Found.class, found -> {
          if (found.failure() != null) {
            context.getLog().warn("Could not look for conversations with overdue work: {}", found.failure().getMessage());
          } else if (!found.sessionIds().isEmpty()) {
            context.getLog().info("Waking {} conversation(s) with overdue work", found.sessionIds().size());
            found.sessionIds().forEach(sessions::wake);
          }
          return idle(context, wakeups, sessions, clock);
        })
        .build();
  }
}
