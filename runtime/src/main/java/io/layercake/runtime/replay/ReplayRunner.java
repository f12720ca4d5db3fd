package io.layercake.runtime.replay;

import io.layercake.config.AgentSettings;
import io.layercake.runtime.concurrent.Stages;
import io.layercake.runtime.concurrent.Timeouts;
import io.layercake.runtime.llm.ModelFailure;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through the replays with turns left: each round takes the next turns of up to
 * {@code parallel} replays (oldest first, up to {@code turnsPerReplay} of each), answers them as the
 * candidate would, records each outcome, and starts the next round at once while there is work (else
 * it waits for the next poll). Within a round a replay's turn starts only while its estimate fits in
 * what is left of the budget after the turns started before it. A cluster singleton; the turns are
 * stored, so a restart or a move to another node goes on with the turns not recorded. Told to
 * {@link #STOP} when it moves, it records the round in flight first.
 */
public final class ReplayRunner {
  private static final Logger log = LoggerFactory.getLogger(ReplayRunner.class);

  /** The runner's own messages. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum Stop implements Command {
    INSTANCE
  }

  /** The singleton's hand-over message: stop once the round in flight is recorded. */
  public static final Command STOP = Stop.INSTANCE;

  private record RoundDone(boolean hadWork, Throwable failure) implements Command {}

  private final ActorContext<Command> context;
  private final Replays replays;
  private final CandidateTurns candidates;
  private final AgentSettings.Replays settings;
  private final Clock clock;

  private ReplayRunner(
      ActorContext<Command> context, Replays replays, CandidateTurns candidates, AgentSettings.Replays settings, Clock clock) {
    this.context = context;
    this.replays = replays;
    this.candidates = candidates;
    this.settings = settings;
    this.clock = clock;
  }

  public static Behavior<Command> create(Replays replays, CandidateTurns candidates, AgentSettings.Replays settings, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.pollInterval());
      return new ReplayRunner(context, replays, candidates, settings, clock).idle();
    }));
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, this::round)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> round() {
    context.pipeToSelf(replays.due(settings.parallel(), settings.turnsPerReplay())
            .thenCompose(due -> runAll(due).thenApply(done -> !due.isEmpty())),
        (hadWork, failure) -> new RoundDone(hadWork != null && hadWork, failure));
    return running();
  }

  /** One round at a time: polls during a round are dropped. */
  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, Behaviors::same)
        .onMessage(RoundDone.class, done -> {
          logFailure(done);
          return done.hadWork() && done.failure() == null ? round() : idle();
        })
        .onMessageEquals(Stop.INSTANCE, this::finishingThenStopping)
        .build();
  }

  private Behavior<Command> finishingThenStopping() {
    context.getLog().info("Handing the replay runner over once the round in flight is recorded");
    return Behaviors.receive(Command.class)
        .onMessage(RoundDone.class, done -> {
          logFailure(done);
          return Behaviors.stopped();
        })
        .onAnyMessage(message -> Behaviors.same())
        .build();
  }

  private void logFailure(RoundDone done) {
    if (done.failure() != null) {
      context.getLog().warn("A replay round failed: {}", done.failure().toString());
    }
  }

  /** Each replay's turns of the round: those whose estimates fit what is left of its budget run, the rest are skipped. */
  private CompletableFuture<Void> runAll(List<Replays.Work> due) {
    List<CompletableFuture<Void>> turns = new java.util.ArrayList<>();
    java.util.Map<String, Long> held = new java.util.HashMap<>();
    for (Replays.Work work : due) {
      Replay replay = work.replay();
      long estimate = candidates.estimate(replay.candidate());
      long before = held.getOrDefault(replay.replayId(), replay.spent());
      if (before + estimate > replay.budget()) {
        turns.add(skip(work, before));
      } else {
        held.put(replay.replayId(), before + estimate);
        turns.add(run(work));
      }
    }
    return CompletableFuture.allOf(turns.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> skip(Replays.Work work, long used) {
    Replay replay = work.replay();
    return replays.record(replay.replayId(), work.seq(), new ReplayTurn(work.seq(), work.recorded(), ReplayTurn.Status.SKIPPED,
        null, null, "the replay's budget of " + replay.budget() + " credits is spent (" + used + " used)"), 0,
        clock.instant()).toCompletableFuture();
  }

  /** Answers one turn as the candidate would and records it: done, or failed with the reason. */
  private CompletableFuture<Void> run(Replays.Work work) {
    Replay replay = work.replay();
    return Timeouts.within(context.getSystem().scheduler(),
            candidates.answer(replay.candidate(), work.recorded()).toCompletableFuture(), candidates.limit())
        .handle((answer, failure) -> {
          if (failure != null && Stages.cause(failure) instanceof ModelFailure busy && busy.kind() == ModelFailure.Kind.BUSY) {
            // the model pool had no place for the organization: the turn stays pending and runs in a later round
            return CompletableFuture.<Void>completedFuture(null);
          }
          if (failure != null) {
            Throwable cause = Stages.cause(failure);
            log.info("Replay {} turn {} (conversation {}, agent {}): the candidate failed: {}", replay.replayId(),
                work.seq(), work.recorded().sessionId(), replay.agentId(), cause.toString());
            return replays.record(replay.replayId(), work.seq(), new ReplayTurn(work.seq(), work.recorded(),
                ReplayTurn.Status.FAILED, null, null, "the candidate's model failed: " + describe(cause)), 0, clock.instant());
          }
          return replays.record(replay.replayId(), work.seq(), new ReplayTurn(work.seq(), work.recorded(), ReplayTurn.Status.DONE,
              answer, Comparisons.of(work.recorded(), answer), null), answer.credits(), clock.instant());
        })
        .thenCompose(recorded -> recorded.toCompletableFuture());
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
