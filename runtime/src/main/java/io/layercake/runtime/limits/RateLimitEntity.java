package io.layercake.runtime.limits;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One rate limit (a visitor on an agent, a client address): a sliding one-minute window of the
 * admitted requests. Sharded, so the whole cluster counts in one place whichever node a request
 * reaches. Not persistent: a window that moves to another node with its shard starts empty, which
 * only ever admits more, for at most a minute.
 */
public final class RateLimitEntity {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "RateLimit");
  static final Duration WINDOW = Duration.ofMinutes(1);

  public sealed interface Command extends JsonSerializable {}

  /** Admit one more request if fewer than {@code perMinute} were admitted in the last minute. */
  public record Acquire(int perMinute, ActorRef<Decision> replyTo) implements Command {}

  /** Admitted, or refused with how long until the oldest admitted request leaves the window. */
  public record Decision(boolean admitted, long retryAfterMillis) implements JsonSerializable {}

  private RateLimitEntity() {}

  public static Behavior<Command> create(Clock clock) {
    return Behaviors.setup(context -> {
      Deque<Instant> admitted = new ArrayDeque<>();
      return Behaviors.receive(Command.class)
          .onMessage(Acquire.class, acquire -> {
            acquire.replyTo().tell(decide(admitted, acquire.perMinute(), clock.instant()));
            return Behaviors.same();
          })
          .build();
    });
  }

  static Decision decide(Deque<Instant> admitted, int perMinute, Instant now) {
    while (!admitted.isEmpty() && !admitted.peekFirst().plus(WINDOW).isAfter(now)) {
      admitted.pollFirst();
    }
    if (admitted.size() >= perMinute) {
      Duration wait = Duration.between(now, admitted.peekFirst().plus(WINDOW));
      return new Decision(false, Math.max(0, wait.toMillis()));
    }
    admitted.addLast(now);
    return new Decision(true, 0);
  }
}
