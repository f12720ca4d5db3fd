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
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Wakes conversations that have overdue work but are not in memory (after a restart, or passivated
 * with a follow-up or an approval pending), so the work still happens. Runs as a cluster singleton;
 * conversations in memory keep their own timers and treat a wake as a no-op.
 *
 * <p>Every tick it wakes the conversations whose work is overdue by more than the grace. When a
 * node leaves the cluster (downed, or stopped), when one joins (shards are rebalanced to it, and a
 * conversation whose shard moves stops until something wakes it), and when the waker itself starts
 * (its predecessor's node may just have gone), it looks a grace ahead: it wakes every conversation
 * whose work began before that moment, so the conversations of a lost or moved shard resume as soon
 * as the shard starts again rather than a grace later. It keeps looking that far ahead for
 * {@link #CATCH_UP}, because the rows it reads come from a projection that may itself have run on
 * the lost node and has to move and catch up first, and rebalancing moves a few shards at a time.
 */
public final class SessionWaker {
  private static final int BATCH = 500;
  /** How long after a node left the ticks keep looking ahead: the projection moves (its keep-alive is 10 s) and catches up. */
  static final Duration CATCH_UP = Duration.ofMinutes(1);
  /**
   * How often it looks while catching up after a node was lost: rows the moved projection writes a
   * moment after the first look are found a second later, not a whole wake interval later.
   */
  static final Duration CATCH_UP_INTERVAL = Duration.ofSeconds(1);
  /** A waker that starts on a node up for longer than this took over from a lost (or leaving) oldest node. */
  static final Duration TAKEOVER_UPTIME = Duration.ofSeconds(30);
  private static final String CATCH_UP_TIMER = "catch-up";

  /** The waker's own messages; they never leave its node. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE,
    /** A look while catching up after a membership change. */
    CATCHING_UP
  }

  /** A node left ({@code lost}) or joined: shards move. */
  private record MembershipChanged(String what, boolean lost) implements Command {}

  private record Found(Instant horizon, List<String> sessionIds, Throwable failure) implements Command {}

  private SessionWaker() {}

  /** {@code wake} tells one conversation to resume ({@link Sessions#wake}). */
  public static Behavior<Command> create(
      SessionWakeups wakeups, Consumer<String> wake, Duration interval, Duration grace, Clock clock) {
    return Behaviors.setup(context -> create(wakeups, wake, interval, grace, clock,
        Duration.ofSeconds(context.getSystem().uptime()).compareTo(TAKEOVER_UPTIME) > 0));
  }

  /** {@code tookOver}: it starts because the node that ran it before was lost or left, not with a new cluster. */
  static Behavior<Command> create(
      SessionWakeups wakeups, Consumer<String> wake, Duration interval, Duration grace, Clock clock, boolean tookOver) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      ActorRef<ClusterEvent.MemberRemoved> removals = context.messageAdapter(ClusterEvent.MemberRemoved.class,
          removed -> new MembershipChanged("node " + removed.member().address() + " left", true));
      ActorRef<ClusterEvent.MemberUp> joins = context.messageAdapter(ClusterEvent.MemberUp.class,
          up -> new MembershipChanged("node " + up.member().address() + " is up", false));
      Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(removals, ClusterEvent.MemberRemoved.class));
      Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(joins, ClusterEvent.MemberUp.class));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval, interval);
      Waker waker = new Waker(context, timers, wakeups, wake, grace, clock);
      return waker.lookAhead("the waker started", tookOver);
    }));
  }

  /** One look at a time: ticks during a look are dropped, a membership change is remembered for after it. */
  private static final class Waker {
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final SessionWakeups wakeups;
    private final Consumer<String> wake;
    private final Duration grace;
    private final Clock clock;
    private int woken;
    /** Work that began before this moment is due now, until {@link #aheadUntil}. */
    private Instant aheadHorizon = Instant.MIN;
    private Instant aheadUntil = Instant.MIN;

    Waker(ActorContext<Command> context, TimerScheduler<Command> timers, SessionWakeups wakeups, Consumer<String> wake,
        Duration grace, Clock clock) {
      this.context = context;
      this.timers = timers;
      this.wakeups = wakeups;
      this.wake = wake;
      this.grace = grace;
      this.clock = clock;
    }

    Behavior<Command> idle() {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, () -> shuttingDown() ? Behaviors.same() : look(tickHorizon(), "", null))
          .onMessageEquals(Tick.CATCHING_UP, this::catchUp)
          .onMessage(MembershipChanged.class, changed -> lookAhead(changed.what(), changed.lost()))
          .build();
    }

    /** {@code nodeLost}: the projection may have to move and catch up, so it looks every second meanwhile. */
    Behavior<Command> lookAhead(String why, boolean nodeLost) {
      Instant now = clock.instant();
      aheadHorizon = now.plus(grace);
      aheadUntil = now.plus(CATCH_UP);
      if (nodeLost) {
        timers.startTimerWithFixedDelay(CATCH_UP_TIMER, Tick.CATCHING_UP, CATCH_UP_INTERVAL);
      }
      return look(aheadHorizon, "", why);
    }

    private Behavior<Command> catchUp() {
      if (!clock.instant().isBefore(aheadUntil)) {
        timers.cancel(CATCH_UP_TIMER);
        return Behaviors.same();
      }
      return shuttingDown() ? Behaviors.same() : look(tickHorizon(), "", null);
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
      return looking(horizon, why, null);
    }

    /** {@code changedMeanwhile}: a membership change during this look (a lost node over a joined one), looked at after it. */
    private Behavior<Command> looking(Instant horizon, String why, MembershipChanged changedMeanwhile) {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, Behaviors::same)
          .onMessageEquals(Tick.CATCHING_UP, Behaviors::same)
          .onMessage(MembershipChanged.class, changed ->
              looking(horizon, why, changedMeanwhile != null && changedMeanwhile.lost() ? changedMeanwhile : changed))
          .onMessage(Found.class, found -> {
            if (found.failure() != null) {
              context.getLog().warn("Could not look for conversations with overdue work: {}", found.failure().getMessage());
              return changedMeanwhile != null ? lookAhead(changedMeanwhile.what(), changedMeanwhile.lost()) : idle();
            }
            found.sessionIds().forEach(wake);
            woken += found.sessionIds().size();
            if (found.sessionIds().size() == BATCH) {
              context.pipeToSelf(wakeups.due(horizon, found.sessionIds().get(BATCH - 1), BATCH),
                  (next, failure) -> new Found(horizon, next, failure));
              return looking(horizon, why, changedMeanwhile);
            }
            logWoken(why);
            return changedMeanwhile != null ? lookAhead(changedMeanwhile.what(), changedMeanwhile.lost()) : idle();
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
