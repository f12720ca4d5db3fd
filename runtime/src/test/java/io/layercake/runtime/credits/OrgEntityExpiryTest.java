package io.layercake.runtime.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.ManualClock;
import io.layercake.runtime.TestSettings;
import io.layercake.runtime.credits.OrgEntity.Accepted;
import io.layercake.runtime.credits.OrgEntity.Command;
import io.layercake.runtime.credits.OrgEntity.Commit;
import io.layercake.runtime.credits.OrgEntity.CurrentBalance;
import io.layercake.runtime.credits.OrgEntity.Event;
import io.layercake.runtime.credits.OrgEntity.GetBalance;
import io.layercake.runtime.credits.OrgEntity.Grant;
import io.layercake.runtime.credits.OrgEntity.Open;
import io.layercake.runtime.credits.OrgEntity.Release;
import io.layercake.runtime.credits.OrgEntity.Released;
import io.layercake.runtime.credits.OrgEntity.Reply;
import io.layercake.runtime.credits.OrgEntity.Reserve;
import io.layercake.runtime.credits.OrgEntity.Reserved;
import io.layercake.runtime.credits.OrgEntity.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reservations expire on the organization's one timer (manual time): whatever is overdue when it
 * fires is released, what was settled before is left alone, and a later reservation is found next.
 */
class OrgEntityExpiryTest {
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private static final ActorTestKit testKit =
      ActorTestKit.create(ManualTime.config().withFallback(EventSourcedBehaviorTestKit.config()));
  private static final ManualTime time = ManualTime.get(testKit.system());

  private ManualClock clock;
  private EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeEach
  void startEntity() {
    clock = new ManualClock(START);
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), OrgEntity.create("acme", TestSettings.orgDependencies(100, orgId -> null, clock)));
    kit.clear();
    assertThat(run(replyTo -> new Open("Acme Plumbing", "pro", null, replyTo))).isInstanceOf(Accepted.class);
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 100, replyTo));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private Reply run(Function<ActorRef<Reply>, Command> command) {
    return kit.runCommand(command::apply).reply();
  }

  private Reply reserve(String id, long amount) {
    return run(replyTo -> new Reserve(id, amount, "session-" + id, "agent-1", null, replyTo));
  }

  private Reply release(String id) {
    return run(replyTo -> new Release(id, null, replyTo));
  }

  private long available() {
    return ((CurrentBalance) run(GetBalance::new)).balance().buckets().total();
  }

  /** Both clocks: the entity's (what is overdue) and Pekko's scheduler (when its timer fires). */
  private void timePasses(Duration duration) {
    clock.advance(duration);
    time.timePasses(duration);
  }

  @Test
  void oneTimerReleasesEveryOverdueReservationAndLeavesSettledOnesAlone() {
    reserve("r1", 10);
    reserve("r2", 20);
    reserve("r3", 30);
    run(replyTo -> new Commit("r2", 5, List.of(new CostLine("ai_reply", 5)), null, replyTo));
    assertThat(available()).isEqualTo(100 - 10 - 5 - 30);

    timePasses(TestSettings.RESERVATION_TTL.minusMillis(1));
    assertThat(available()).as("nothing is overdue yet").isEqualTo(55);

    timePasses(Duration.ofMillis(1));
    assertThat(available()).as("r1 and r3 went back, r2's charge stands").isEqualTo(95);
    assertThat(release("r1")).isEqualTo(new Released("r1", Settlement.Outcome.EXPIRED));
    assertThat(release("r3")).isEqualTo(new Released("r3", Settlement.Outcome.EXPIRED));
    assertThat(release("r2")).isEqualTo(new Released("r2", Settlement.Outcome.COMMITTED));
  }

  @Test
  void aReservationTakenLaterIsFoundByTheNextLook() {
    reserve("early", 10);
    timePasses(TestSettings.RESERVATION_TTL.dividedBy(2));
    assertThat(reserve("late", 20)).isInstanceOf(Reserved.class);
    assertThat(release("early")).isEqualTo(new Released("early", Settlement.Outcome.RELEASED));

    timePasses(TestSettings.RESERVATION_TTL.dividedBy(2));
    assertThat(available()).as("the timer fired for the released one and looked on").isEqualTo(80);

    timePasses(TestSettings.RESERVATION_TTL.dividedBy(2));
    assertThat(available()).isEqualTo(100);
    assertThat(release("late")).isEqualTo(new Released("late", Settlement.Outcome.EXPIRED));
  }

  @Test
  void aRecoveredOrganizationExpiresWhatItHeld() {
    reserve("r1", 10);
    kit.restart();

    timePasses(TestSettings.RESERVATION_TTL);
    assertThat(available()).isEqualTo(100);
    assertThat(release("r1")).isEqualTo(new Released("r1", Settlement.Outcome.EXPIRED));
  }
}
