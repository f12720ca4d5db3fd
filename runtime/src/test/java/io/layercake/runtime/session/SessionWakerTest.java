package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.layercake.runtime.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The waker looks a grace ahead when it starts, pages through every conversation due, and then ticks at the overdue line. */
class SessionWakerTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
      "pekko.actor.provider = cluster\npekko.remote.artery.canonical.port = 0\npekko.remote.artery.canonical.hostname = 127.0.0.1"));
  private static final Duration GRACE = Duration.ofMinutes(1);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private record Look(Instant horizon, String after) {}

  @Test
  void aStartingWakerWakesEveryUnfinishedConversationPageByPageAndKeepsLookingAheadWhileProjectionsCatchUp() {
    Instant started = Instant.parse("2026-11-26T09:00:00Z");
    ManualClock clock = new ManualClock(started);
    TestProbe<Look> looks = testKit.createTestProbe();
    TestProbe<String> woken = testKit.createTestProbe();
    List<String> firstPage = IntStream.range(0, 500).mapToObj(i -> String.format("s-%04d", i)).toList();
    SessionWakeups wakeups = (now, afterSessionId, limit) -> {
      looks.getRef().tell(new Look(now, afterSessionId));
      boolean ahead = now.equals(started.plus(GRACE));
      List<String> page = !ahead ? List.of("s-overdue") : afterSessionId.isEmpty() ? firstPage : List.of("s-0500", "s-0501");
      return CompletableFuture.completedFuture(page);
    };

    testKit.spawn(SessionWaker.create(wakeups, woken.getRef()::tell, Duration.ofMillis(200), GRACE, clock));

    assertThat(looks.receiveMessage()).as("a grace ahead: the predecessor's node may have gone")
        .isEqualTo(new Look(started.plus(GRACE), ""));
    assertThat(looks.receiveMessage()).as("the next page").isEqualTo(new Look(started.plus(GRACE), "s-0499"));
    assertThat(woken.receiveSeveralMessages(502)).startsWith("s-0000").endsWith("s-0500", "s-0501").doesNotHaveDuplicates();
    assertThat(looks.receiveMessage(Duration.ofSeconds(5))).as("ticks keep looking ahead while projections catch up")
        .isEqualTo(new Look(started.plus(GRACE), ""));

    clock.advance(SessionWaker.CATCH_UP.plusSeconds(1));
    looks.fishForMessage(Duration.ofSeconds(5), look -> look.horizon().equals(clock.instant())
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    woken.fishForMessage(Duration.ofSeconds(5), id -> id.equals("s-overdue")
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }
  @Test
  void whileCatchingUpItLooksEverySecondNotOnlyEveryWakeIntervalAndStopsAfterwards() {
    Instant started = Instant.parse("2026-12-05T09:00:00Z");
    ManualClock clock = new ManualClock(started);
    TestProbe<Look> looks = testKit.createTestProbe();
    SessionWakeups wakeups = (now, afterSessionId, limit) -> {
      looks.getRef().tell(new Look(now, afterSessionId));
      return CompletableFuture.completedFuture(List.of());
    };

    testKit.spawn(SessionWaker.create(wakeups, id -> { }, Duration.ofHours(1), GRACE, clock, true)); // took over from a lost node

    assertThat(looks.receiveMessage()).isEqualTo(new Look(started.plus(GRACE), ""));
    assertThat(looks.receiveMessage(SessionWaker.CATCH_UP_INTERVAL.multipliedBy(3)))
        .as("rows a moved projection writes after the first look are found a second later, not an hour later")
        .isEqualTo(new Look(started.plus(GRACE), ""));

    clock.advance(SessionWaker.CATCH_UP.plusSeconds(1));
    looks.expectNoMessage(SessionWaker.CATCH_UP_INTERVAL.multipliedBy(3));
  }

  @Test
  void aWakerStartingWithANewClusterLooksAheadOnceAndThenOnlyAtItsInterval() {
    Instant started = Instant.parse("2026-12-05T09:00:00Z");
    TestProbe<Look> looks = testKit.createTestProbe();
    SessionWakeups wakeups = (now, afterSessionId, limit) -> {
      looks.getRef().tell(new Look(now, afterSessionId));
      return CompletableFuture.completedFuture(List.of());
    };

    testKit.spawn(SessionWaker.create(wakeups, id -> { }, Duration.ofHours(1), GRACE, new ManualClock(started), false));

    assertThat(looks.receiveMessage()).isEqualTo(new Look(started.plus(GRACE), ""));
    looks.expectNoMessage(SessionWaker.CATCH_UP_INTERVAL.multipliedBy(3)); // nothing was lost: no catching up every second
  }

  @Test
  void aStoppingNodeWakesNothingMoreWhileItHandsItsShardsOff() throws Exception {
    ActorTestKit stopping = ActorTestKit.create("stopping", ConfigFactory.parseString(
        "pekko.actor.provider = cluster\npekko.remote.artery.canonical.port = 0\npekko.remote.artery.canonical.hostname = 127.0.0.1"));
    CompletableFuture<org.apache.pekko.Done> handOff = new CompletableFuture<>();
    try {
      TestProbe<String> woken = stopping.createTestProbe();
      SessionWakeups wakeups = (now, afterSessionId, limit) -> CompletableFuture.completedFuture(List.of("s-overdue"));
      stopping.spawn(SessionWaker.create(wakeups, woken.getRef()::tell, Duration.ofMillis(100), GRACE, new ManualClock(Instant.now())));
      woken.expectMessage("s-overdue");
      woken.expectMessage("s-overdue");

      org.apache.pekko.actor.CoordinatedShutdown shutdown = org.apache.pekko.actor.CoordinatedShutdown.get(stopping.system());
      shutdown.addTask(org.apache.pekko.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(), "hold-the-hand-off", () -> handOff);
      shutdown.run(org.apache.pekko.actor.CoordinatedShutdown.unknownReason());

      woken.expectNoMessage(Duration.ofMillis(600));
    } finally {
      handOff.complete(org.apache.pekko.Done.getInstance());
      stopping.shutdownTestKit();
    }
  }
}
