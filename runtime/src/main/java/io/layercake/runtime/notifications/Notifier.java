package io.layercake.runtime.notifications;

import io.layercake.config.NotificationSettings;
import io.layercake.runtime.concurrent.Stages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people: every poll it routes the organizations' new events into notifications, then sends
 * the deliveries that are due and records each outcome; a failure is tried again with doubling
 * pauses until {@code maxAttempts}. A cluster singleton; everything it works from is durable, so a
 * restart only delays. Nothing it does holds up the event that caused a notification.
 */
public final class Notifier {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  private static final int ROUTE_BATCH = 100;
  private static final int DELIVERY_BATCH = 50;
  private static final Duration CLAIM = Duration.ofMinutes(2);

  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum Stop implements Command {
    INSTANCE
  }

  /** The singleton's hand-over message: stop once the round in flight is recorded. */
  public static final Command STOP = Stop.INSTANCE;

  private record Done(Throwable failure) implements Command {}

  /** What a round works with. */
  public record Parts(List<NotificationSource> sources, NotificationRouter router, NotificationDeliveries deliveries,
      Map<Channel, NotificationSender> senders, NotificationSettings settings, Executor executor, Clock clock) {
    public Parts {
      sources = List.copyOf(sources);
      senders = Map.copyOf(senders);
    }
  }

  private Notifier() {}

  public static Behavior<Command> create(Parts parts) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, parts.settings().pollInterval());
      return idle(context, parts);
    }));
  }

  private static Behavior<Command> idle(ActorContext<Command> context, Parts parts) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          context.pipeToSelf(round(parts), (done, failure) -> new Done(failure));
          return working(context, parts);
        })
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  /** One round at a time: ticks during a round are dropped. */
  private static Behavior<Command> working(ActorContext<Command> context, Parts parts) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, Behaviors::same)
        .onMessage(Done.class, done -> {
          logFailure(done);
          return idle(context, parts);
        })
        .onMessageEquals(Stop.INSTANCE, () -> Behaviors.receive(Command.class)
            .onMessage(Done.class, done -> {
              logFailure(done);
              return Behaviors.stopped();
            })
            .onAnyMessage(message -> Behaviors.same())
            .build())
        .build();
  }

  private static void logFailure(Done done) {
    if (done.failure() != null) {
      log.warn("A notification round failed: {}", Stages.cause(done.failure()).toString());
    }
  }

  /** One round: write what time made due, route what is new, send what is due, record the outcomes. */
  public static CompletionStage<Void> round(Parts parts) {
    Instant now = parts.clock().instant();
    CompletionStage<Integer> written = CompletableFuture.completedFuture(0);
    for (NotificationSource source : parts.sources()) {
      written = written.thenComposeAsync(count -> source.writeDue(now), parts.executor());
    }
    return written.thenComposeAsync(count -> parts.router().routeDue(ROUTE_BATCH, now), parts.executor())
        .thenComposeAsync(routed -> parts.deliveries().claimDue(parts.clock().instant(), CLAIM, DELIVERY_BATCH), parts.executor())
        .thenComposeAsync(due -> CompletableFuture.allOf(due.stream()
            .map(delivery -> deliver(delivery, parts).toCompletableFuture())
            .toArray(CompletableFuture[]::new)), parts.executor());
  }

  private static CompletionStage<Void> deliver(NotificationDeliveries.Due due, Parts parts) {
    NotificationSender sender = parts.senders().get(due.channel());
    CompletionStage<String> sent = sender == null
        ? CompletableFuture.failedFuture(new NotificationSender.Undeliverable(due.channel().wireName() + " is not configured here"))
        : guarded(sender, due);
    return sent.handleAsync((receipt, failure) -> {
      Instant now = parts.clock().instant();
      if (failure == null) {
        log.info("Notification {} sent by {} to user {} ({})", due.first().notificationId(), due.channel().wireName(),
            due.recipient().userId(), receipt);
        return parts.deliveries().sent(due, now);
      }
      Throwable cause = Stages.cause(failure);
      String error = cause instanceof NotificationSender.Undeliverable ? cause.getMessage()
          : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      Optional<Instant> retryAt = cause instanceof NotificationSender.Undeliverable || due.attempts() >= parts.settings().maxAttempts()
          ? Optional.empty() : Optional.of(now.plus(pause(due.attempts(), parts.settings())));
      log.warn("Notification {} not sent by {} to user {} (attempt {}){}: {}", due.first().notificationId(), due.channel().wireName(),
          due.recipient().userId(), due.attempts(), retryAt.map(at -> ", tried again at " + at).orElse(", given up"), error);
      return parts.deliveries().failed(due, error, retryAt, now);
    }, parts.executor()).thenCompose(recorded -> recorded);
  }

  /** A sender that throws instead of failing its stage fails the delivery, not the round. */
  private static CompletionStage<String> guarded(NotificationSender sender, NotificationDeliveries.Due due) {
    try {
      return sender.send(due);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code retryMin}, twice that, … at most {@code retryMax}. */
  static Duration pause(int attempts, NotificationSettings settings) {
    Duration pause = settings.retryMin().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
    return pause.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : pause;
  }
}
