package io.layercake.runtime.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Wakes conversations that have overdue work but are not in memory (after a restart, or passivated
 * with a follow-up or an approval pending), so the work still happens. Runs as a cluster singleton;
 * conversations in memory keep their own timers and treat a wake as a no-op.
 *
 * <p>Every tick it wakes the conversations whose work is overdue by more than the grace. When a
 * node leaves the cluster (downed, or stopped), and when the waker itself starts (its predecessor's
 * node may just have gone), it looks a grace ahead: it wakes every conversation whose work began
 * before that moment, so the conversations of a lost node resume as soon as their shards can move
 * rather than a grace later. It keeps looking that far ahead for {@link #CATCH_UP}, because the
 * rows it reads come from a projection that may itself have run on the lost node and has to move
 * and catch up first.
 */
public final class SessionWaker {
  private static final int BATCH = 500;
  /** How long after a node left the ticks keep looking ahead: the projection moves (its keep-alive is 10 s) and catches up. */
  static final Duration CATCH_UP = Duration.ofMinutes(1);

  /** The waker's own messages; they never leave its node. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record NodeLeft(String address) implements Command {}

  private record Found(Instant horizon, List<String> sessionIds, Throwable failure) implements Command {}

  private SessionWaker() {}

  /** {@code wake} tells one conversation to resume ({@link Sessions#wake}). */
  public static Behavior<Command> create(
      SessionWakeups wakeups, Consumer<String> wake, Duration interval, Duration grace, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      ActorRef<ClusterEvent.MemberRemoved> removals = context.messageAdapter(ClusterEvent.MemberRemoved.class,
          removed -> new NodeLeft(removed.member().address().toString()));
      Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(removals, ClusterEvent.MemberRemoved.class));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval, interval);
      Waker waker = new Waker(context, wakeups, wake, grace, clock);
      return waker.aNodeLeft("the waker started");
    }));
  }

  /** One look at a time: ticks during a look are dropped, a node leaving is remembered for after it. */
  private static final class Waker {
    private final ActorContext<Command> context;
    private final SessionWakeups wakeups;
    private final Consumer<String> wake;
    private final Duration grace;
    private final Clock clock;
    private int woken;
    /** Work that began before this moment is due now, until {@link #aheadUntil}. */
    private Instant aheadHorizon = Instant.MIN;
    private Instant aheadUntil = Instant.MIN;

    Waker(ActorContext<Command> context, SessionWakeups wakeups, Consumer<String> wake, Duration grace, Clock clock) {
      this.context = context;
      this.wakeups = wakeups;
      this.wake = wake;
      this.grace = grace;
      this.clock = clock;
    }

    Behavior<Command> idle() {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, () -> shuttingDown() ? Behaviors.same() : look(tickHorizon(), "", null))
          .onMessage(NodeLeft.class, left -> aNodeLeft("node " + left.address() + " left"))
          .build();
    }

    Behavior<Command> aNodeLeft(String why) {
      Instant now = clock.instant();
      aheadHorizon = now.plus(grace);
      aheadUntil = now.plus(CATCH_UP);
      return look(aheadHorizon, "", why);
    }

    /**
     * A node that is stopping hands its shards off: a wake sent then is buffered by the region,
     * which asks for the shard's home again and holds the shutdown up. The next waker wakes them.
     */
    private boolean shuttingDown() {
      return CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent();
    }

    private Instant tickHorizon() {
      Instant now = clock.instant();
      return now.isBefore(aheadUntil) && aheadHorizon.isAfter(now) ? aheadHorizon : now;
    }

    /** Wakes every conversation with work due at {@code horizon}, page by page. */
    Behavior<Command> look(Instant horizon, String after, String why) {
      if (after.isEmpty()) {
        woken = 0;
      }
      context.pipeToSelf(wakeups.due(horizon, after, BATCH), (found, failure) -> new Found(horizon, found, failure));
      return looking(horizon, why, false);
    }

    private Behavior<Command> looking(Instant horizon, String why, boolean nodeLeftMeanwhile) {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, Behaviors::same)
          .onMessage(NodeLeft.class, left -> looking(horizon, why, true))
          .onMessage(Found.class, found -> {
            if (found.failure() != null) {
              context.getLog().warn("Could not look for conversations with overdue work: {}", found.failure().getMessage());
              return nodeLeftMeanwhile ? aNodeLeft("a node left") : idle();
            }
            found.sessionIds().forEach(wake);
            woken += found.sessionIds().size();
            if (found.sessionIds().size() == BATCH) {
              context.pipeToSelf(wakeups.due(horizon, found.sessionIds().get(BATCH - 1), BATCH),
                  (next, failure) -> new Found(horizon, next, failure));
              return looking(horizon, why, nodeLeftMeanwhile);
            }
            logWoken(why);
            return nodeLeftMeanwhile ? aNodeLeft("a node left") : idle();
          })
          .build();
    }

    private void logWoken(String why) {
      if (why != null) {
        context.getLog().info("Waking {} conversation(s) with unfinished work: {}", woken, why);
      } else if (woken > 0) {
        context.getLog().info("Waking {} conversation(s) with overdue work", woken);
      }
    }
  }
}
