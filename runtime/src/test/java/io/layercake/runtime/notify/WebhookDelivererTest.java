package io.layercake.runtime.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.config.WebhookSettings;
import io.layercake.runtime.metrics.RuntimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The deliverer as a singleton that moves: told to stop mid-round, it records the round before it stops. */
class WebhookDelivererTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final WebhookSettings SETTINGS =
      new WebhookSettings(Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(25), Duration.ofSeconds(10));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aHandOverWaitsForTheRoundInFlightToBeRecorded() {
    OneDueDelivery outbox = new OneDueDelivery();
    CompletableFuture<Integer> subscriberAnswer = new CompletableFuture<>();
    CompletableFuture<Webhooks.DueDelivery> posted = new CompletableFuture<>();
    WebhookSender sender = delivery -> {
      posted.complete(delivery);
      return subscriberAnswer;
    };
    ActorRef<WebhookDeliverer.Command> deliverer = testKit.spawn(WebhookDeliverer.create(
        outbox, sender, SETTINGS, Clock.systemUTC(), new RuntimeMetrics(new SimpleMeterRegistry())));
    CompletableFuture<List<Long>> recordedWhenStopped = new CompletableFuture<>();
    testKit.spawn(Behaviors.<Void>setup(context -> {
      context.watch(deliverer);
      return Behaviors.<Void>receive(Void.class)
          .onSignal(Terminated.class, terminated -> {
            recordedWhenStopped.complete(List.copyOf(outbox.delivered));
            return Behaviors.stopped();
          })
          .build();
    }));
    assertThat(posted.orTimeout(5, TimeUnit.SECONDS).join().event().eventId()).isEqualTo(7);

    deliverer.tell(WebhookDeliverer.STOP);
    // as TestProbe.expectNoMessage: a stop that did not wait would end the actor well within this
    assertThatThrownBy(() -> recordedWhenStopped.get(500, TimeUnit.MILLISECONDS))
        .as("still running while the subscriber has not answered").isInstanceOf(TimeoutException.class);
    subscriberAnswer.complete(200);

    assertThat(recordedWhenStopped.orTimeout(5, TimeUnit.SECONDS).join()).as("recorded before the singleton stopped").containsExactly(7L);
  }

  @Test
  void anIdleDelivererStopsAtOnce() {
    CompletableFuture<Integer> never = new CompletableFuture<>();
    ActorRef<WebhookDeliverer.Command> deliverer = testKit.spawn(WebhookDeliverer.create(
        new NothingDue(), delivery -> never, SETTINGS, Clock.systemUTC(), new RuntimeMetrics(new SimpleMeterRegistry())));
    TestProbe<Object> probe = testKit.createTestProbe();

    deliverer.tell(WebhookDeliverer.STOP);

    probe.expectTerminated(deliverer, Duration.ofSeconds(5));
  }

  @Test
  void aRefusedTargetIsGivenUpAtOnceWithItsReason() {
    CompletableFuture<String> failure = new CompletableFuture<>();
    OneDueDelivery outbox = new OneDueDelivery() {
      @Override
      public CompletionStage<Void> failed(
          long eventId, String subscriptionId, Integer statusCode, String error, Instant next) {
        failure.complete(error + " | next attempt: " + next + " | status: " + statusCode);
        delivered.add(eventId);
        return CompletableFuture.completedFuture(null);
      }
    };
    WebhookSender refusing = delivery -> CompletableFuture.failedFuture(new WebhookSender.RefusedTarget(
        "the host hooks.example of url is (or resolves to) a loopback address (127.0.0.1)"));
    testKit.spawn(WebhookDeliverer.create(
        outbox, refusing, SETTINGS, Clock.systemUTC(), new RuntimeMetrics(new SimpleMeterRegistry())));

    assertThat(failure.orTimeout(5, TimeUnit.SECONDS).join())
        .isEqualTo("refused: the host hooks.example of url is (or resolves to) a loopback address (127.0.0.1)"
            + " | next attempt: null | status: null");
  }

  private static final class NothingDue extends OneDueDelivery {
    NothingDue() {
      delivered.add(0L);
    }
  }

  /** An outbox holding one due delivery until it is recorded as delivered. */
  private static class OneDueDelivery implements Webhooks {
    final List<Long> delivered = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<List<DueDelivery>> due(Instant now, int limit) {
      if (!delivered.isEmpty()) {
        return CompletableFuture.completedFuture(List.of());
      }
      FeedEvent event = new FeedEvent(7, "org-a", "s-1", "message.received", 1, "{}", now);
      return CompletableFuture.completedFuture(List.of(new DueDelivery(event, "sub-1", "http://127.0.0.1:9/hook", "secret", 0, now)));
    }

    @Override
    public CompletionStage<Void> delivered(long eventId, String subscriptionId, int statusCode, Instant at) {
      delivered.add(eventId);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> failed(long eventId, String subscriptionId, Integer statusCode, String error, Instant nextAttemptAt) {
      throw new AssertionError("no delivery fails here");
    }

    @Override
    public CompletionStage<Subscription> subscribe(String orgId, String url, Set<String> eventTypes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<Subscription>> subscriptions(String orgId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Optional<Subscription>> subscription(String orgId, String subscriptionId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Boolean> unsubscribe(String orgId, String subscriptionId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<FeedEvent>> events(List<String> orgIds, long after, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<Delivery>> deliveries(String subscriptionId, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<java.util.Optional<Long>> sendTest(String orgId, String subscriptionId) {
      throw new UnsupportedOperationException();
    }
  }
}
