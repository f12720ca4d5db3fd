package io.layercake.runtime.notify;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.runtime.concurrent.Timeouts;
import io.layercake.config.WebhookSettings;
import io.layercake.runtime.metrics.RuntimeMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Delivers the webhook outbox: every poll it takes the due deliveries (the earliest pending one per
 * subscription and conversation), posts them, and records each outcome; failures are tried again
 * with doubling delays until the give-up time. A cluster singleton; the outbox is durable, so a
 * restart only delays deliveries. When the singleton moves (its node leaves), it is sent
 * {@link #STOP} and finishes the round in flight first, so the next node does not post the same
 * deliveries again.
 */
public final class WebhookDeliverer {
  private static final int BATCH = 50;

  /** The deliverer's own messages. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum Stop implements Command {
    INSTANCE
  }

  /** The singleton's hand-over message: stop once the current round is recorded. */
  public static final Command STOP = Stop.INSTANCE;

  private record Done(Throwable failure) implements Command {}

  private WebhookDeliverer() {}

  public static Behavior<Command> create(
      Webhooks webhooks, WebhookSender sender, WebhookSettings settings, Clock clock, RuntimeMetrics metrics) {
    WebhookSender counted = delivery -> sender.post(delivery).whenComplete((status, failure) ->
        metrics.webhookDelivery(failure == null && status >= 200 && status < 300 ? "delivered" : "failed"));
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.pollInterval());
      WebhookSender limited = delivery -> Timeouts.within(context.getSystem().scheduler(),
          counted.post(delivery).toCompletableFuture(), settings.timeout().multipliedBy(2));
      return idle(context, webhooks, limited, settings, clock);
    }));
  }

  private static Behavior<Command> idle(
      ActorContext<Command> context, Webhooks webhooks, WebhookSender sender, WebhookSettings settings, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          context.pipeToSelf(webhooks.due(clock.instant(), BATCH)
                  .thenCompose(due -> deliverAll(due, webhooks, sender, settings, clock)),
              (done, failure) -> new Done(failure));
          return delivering(context, webhooks, sender, settings, clock);
        })
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  /** One round at a time: ticks during a round are dropped. */
  private static Behavior<Command> delivering(
      ActorContext<Command> context, Webhooks webhooks, WebhookSender sender, WebhookSettings settings, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, Behaviors::same)
        .onMessage(Done.class, done -> {
          logFailure(context, done);
          return idle(context, webhooks, sender, settings, clock);
        })
        .onMessageEquals(Stop.INSTANCE, () -> finishingThenStopping(context))
        .build();
  }

  private static Behavior<Command> finishingThenStopping(ActorContext<Command> context) {
    context.getLog().info("Handing the webhook deliverer over once the round in flight is recorded");
    return Behaviors.receive(Command.class)
        .onMessage(Done.class, done -> {
          logFailure(context, done);
          return Behaviors.stopped();
        })
        .onAnyMessage(message -> Behaviors.same())
        .build();
  }

  private static void logFailure(ActorContext<Command> context, Done done) {
    if (done.failure() != null) {
      context.getLog().warn("A webhook delivery round failed: {}", done.failure().toString());
    }
  }

  private static CompletableFuture<Void> deliverAll(
      List<Webhooks.DueDelivery> due, Webhooks webhooks, WebhookSender sender, WebhookSettings settings, Clock clock) {
    return CompletableFuture.allOf(due.stream()
        .map(delivery -> deliver(delivery, webhooks, sender, settings, clock))
        .toArray(CompletableFuture[]::new));
  }

  private static CompletableFuture<Void> deliver(
      Webhooks.DueDelivery delivery, Webhooks webhooks, WebhookSender sender, WebhookSettings settings, Clock clock) {
    long eventId = delivery.event().eventId();
    return sender.post(delivery).toCompletableFuture()
        .handle((status, failure) -> {
          Instant now = clock.instant();
          if (failure == null && status >= 200 && status < 300) {
            return webhooks.delivered(eventId, delivery.subscriptionId(), status, now);
          }
          Throwable cause = Stages.cause(failure);
          if (cause instanceof WebhookSender.RefusedTarget refused) {
            return webhooks.failed(eventId, delivery.subscriptionId(), null, "refused: " + refused.getMessage(), null);
          }
          Duration delay = settings.retryMin().multipliedBy(1L << Math.min(delivery.attempts(), 20));
          Instant next = now.plus(delay.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : delay);
          boolean giveUp = next.isAfter(delivery.firstTriedAt().plus(settings.giveUpAfter()));
          String error = failure == null ? "HTTP " + status : failure.getClass().getSimpleName();
          return webhooks.failed(eventId, delivery.subscriptionId(), failure == null ? status : null, error, giveUp ? null : next);
        })
        .thenCompose(stage -> stage.toCompletableFuture());
  }
}
