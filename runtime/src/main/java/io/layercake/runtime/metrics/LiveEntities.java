package io.layercake.runtime.metrics;

import io.layercake.runtime.concurrent.AskPattern;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Keeps the {@code layercake.entities.live} gauge (entities in memory on this node, by type) by
 * asking the local shard regions every interval.
 */
public final class LiveEntities {
  /** The poller's own messages. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** A region that did not answer within the interval: the last count stands. */
  private enum Unanswered implements Command {
    INSTANCE
  }

  private record RegionState(String type, ShardRegion.CurrentShardRegionState state) implements Command {}

  private LiveEntities() {}

  public static Behavior<Command> create(List<EntityTypeKey<?>> types, RuntimeMetrics metrics, Duration interval) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
      for (EntityTypeKey<?> type : types) {
        AtomicInteger count = new AtomicInteger();
        counts.put(type.name(), count);
        Gauge.builder("layercake.entities.live", count, AtomicInteger::get).description("Entities in memory on this node, by type")
            .tag("type", type.name()).register(metrics.registry());
      }
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, interval);
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            // one ask per type: a message adapter is per reply class, so the replies could not tell the types apart
            for (EntityTypeKey<?> type : types) {
              // not context.ask: Pekko's Java ask answers through the common pool, a new thread per answer on 2 cores
              context.pipeToSelf(AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                      ClusterSharding.get(context.getSystem()).shardState(),
                      replyTo -> new GetShardRegionState(type, replyTo), interval, context.getSystem().scheduler()),
                  (state, failure) -> failure == null ? new RegionState(type.name(), state) : Unanswered.INSTANCE);
            }
            return Behaviors.same();
          })
          .onMessageEquals(Unanswered.INSTANCE, Behaviors::same)
          .onMessage(RegionState.class, region -> {
            int entities = region.state().getShards().stream().mapToInt(shard -> shard.getEntityIds().size()).sum();
            counts.get(region.type()).set(entities);
            return Behaviors.same();
          })
          .build();
    }));
  }
}
