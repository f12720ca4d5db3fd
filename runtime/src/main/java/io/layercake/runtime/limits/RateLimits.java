package io.layercake.runtime.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rate limits counted once for the whole cluster, each in its {@link RateLimitEntity}. */
public final class RateLimits {
  private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  private RateLimits(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  /** Registers the entity type with sharding on this node. */
  public static RateLimits start(ActorSystem<?> system, Duration askTimeout, Clock clock) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(RateLimitEntity.TYPE_KEY, context -> RateLimitEntity.create(clock)));
    return new RateLimits(sharding, askTimeout);
  }

  /**
   * Empty when the request may go; otherwise how long until it may. A limit that cannot be asked
   * in time (its shard is moving after a node left) admits the request: a limiter must not turn a
   * node's loss into an outage.
   */
  public CompletionStage<Optional<Duration>> acquire(String key, int perMinute) {
    return sharding.entityRefFor(RateLimitEntity.TYPE_KEY, key)
        .<RateLimitEntity.Decision>ask(replyTo -> new RateLimitEntity.Acquire(perMinute, replyTo), askTimeout)
        .handle((decision, failure) -> {
          if (failure != null) {
            // the key is left out: it holds a visitor id or a client address
            log.warn("A rate limit could not be asked in time, admitting the request: {}", failure.toString());
            return Optional.empty();
          }
          return decision.admitted() ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis(decision.retryAfterMillis()));
        });
  }
}
