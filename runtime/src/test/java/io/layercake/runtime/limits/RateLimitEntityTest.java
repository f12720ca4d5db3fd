package io.layercake.runtime.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

class RateLimitEntityTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T09:00:00Z"));
  private final BehaviorTestKit<RateLimitEntity.Command> limit = BehaviorTestKit.create(RateLimitEntity.create(clock));

  @Test
  void admitsUpToTheLimitInAMinuteThenSaysHowLongToWait() {
    assertThat(acquire(2).admitted()).isTrue();
    clock.advance(Duration.ofSeconds(20));
    assertThat(acquire(2).admitted()).isTrue();

    RateLimitEntity.Decision refused = acquire(2);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.retryAfterMillis()).as("until the first leaves the window").isEqualTo(40_000);

    clock.advance(Duration.ofSeconds(40));
    assertThat(acquire(2).admitted()).as("the first request left the window").isTrue();
    assertThat(acquire(2).admitted()).isFalse();
  }

  @Test
  void aRefusedRequestDoesNotCountAgainstTheWindow() {
    assertThat(acquire(1).admitted()).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(acquire(1).admitted()).isFalse();
    }
    clock.advance(Duration.ofMinutes(1));
    assertThat(acquire(1).admitted()).isTrue();
  }

  private RateLimitEntity.Decision acquire(int perMinute) {
    TestInbox<RateLimitEntity.Decision> inbox = TestInbox.create();
    limit.run(new RateLimitEntity.Acquire(perMinute, inbox.getRef()));
    return inbox.receiveMessage();
  }
}
