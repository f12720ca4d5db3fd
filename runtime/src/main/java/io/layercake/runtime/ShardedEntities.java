package io.layercake.runtime;

import io.layercake.config.LayercakeSettings;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.bookings.BookingDesk;
import io.layercake.runtime.bookings.CalendarEntity;
import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.feed.BroadcastEntity;
import io.layercake.runtime.messages.ThreadEntity;
import io.layercake.runtime.metrics.RuntimeMetrics;
import io.layercake.runtime.outreach.OutreachPolicy;
import io.layercake.runtime.session.SessionCommand;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.setup.SetupEntity;
import io.layercake.runtime.limits.RateLimitEntity;
import io.layercake.runtime.messages.ThreadState;
import io.layercake.runtime.serialization.JsonWarmUp;
import io.layercake.runtime.session.SessionEvent;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.SessionState;
import io.layercake.runtime.setup.SetupState;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers the persistent entity types with Cluster Sharding, so any node can reach any entity by id ({@link io.layercake.runtime.limits.RateLimits} registers its own). */
public final class ShardedEntities {
  private static final Logger log = LoggerFactory.getLogger(ShardedEntities.class);
  /** What the entities journal (their events and states, nested in them or beside them) and send between nodes. */
  public static final List<Class<?>> JOURNALED = Stream.concat(
      Stream.of(OrgEntity.class, AgentEntity.class, CalendarEntity.class, BroadcastEntity.class, ThreadEntity.class,
          ThreadState.class, SetupEntity.class, SetupState.class, SessionEntity.class, SessionState.class,
          SessionEvent.class, SessionCommand.class, SessionReply.class, RateLimitEntity.class),
      OrgEntity.STATE_MAP_TYPES.stream()).toList();

  private ShardedEntities() {}

  public static void init(ActorSystem<?> system, LayercakeSettings settings) {
    if (settings.entities().prebuildJson()) {
      buildJsonSerializers(system);
    }
    ClusterSharding sharding = ClusterSharding.get(system);
    OrgEntity.Dependencies orgDependencies = new OrgEntity.Dependencies(
        settings.entities(), settings.credits(), settings.catalog(),
        orgId -> sharding.entityRefFor(OrgEntity.TYPE_KEY, orgId), Clock.systemUTC());
    sharding.init(Entity.of(OrgEntity.TYPE_KEY, context -> OrgEntity.create(context.getEntityId(), orgDependencies)));
    sharding.init(Entity.of(
        AgentEntity.TYPE_KEY, context -> AgentEntity.create(context.getEntityId(), settings.entities(), Clock.systemUTC())));
    sharding.init(Entity.of(CalendarEntity.TYPE_KEY, context -> CalendarEntity.create(context.getEntityId(), Clock.systemUTC())));
    sharding.init(Entity.of(BroadcastEntity.TYPE_KEY, context -> BroadcastEntity.create(context.getEntityId(), Clock.systemUTC())));
    sharding.init(Entity.of(
        ThreadEntity.TYPE_KEY, context -> ThreadEntity.create(context.getEntityId(), settings.entities(), Clock.systemUTC())));
  }

  /**
   * Builds the journaled types' JSON serializers beside the node's start (on the blocking dispatcher): ~1.8 s on a
   * cold JVM, which would otherwise delay every start, done before the first requests in practice.
   */
  private static void buildJsonSerializers(ActorSystem<?> system) {
    long started = System.nanoTime();
    CompletableFuture.supplyAsync(() -> JsonWarmUp.warm(system, JOURNALED).size(),
            system.dispatchers().lookup(DispatcherSelector.blocking()))
        .whenComplete((types, failure) -> {
          if (failure != null) {
            log.warn("JSON serializers could not be built ahead; each is built when first written", failure);
          } else {
            log.info("JSON serializers built for {} journaled types in {} ms", types, (System.nanoTime() - started) / 1_000_000);
          }
        });
  }

  /** Registers setup interviews, which need the setup agent's model and the organizations' credits. */
  public static void initSetups(ActorSystem<?> system, SetupEntity.Dependencies dependencies) {
    ClusterSharding.get(system).init(Entity.of(SetupEntity.TYPE_KEY, context -> SetupEntity.create(context.getEntityId(), dependencies)));
  }

  /**
   * Registers conversations, which need the turn's collaborators: the agent responder (documents,
   * prompt, model) and the channels that carry replies out.
   */
  public static void initSessions(
      ActorSystem<?> system, LayercakeSettings settings, AgentResponder responder, ChannelPort channel, RuntimeMetrics metrics,
      BookingDesk bookings, OutreachPolicy outreach) {
    ClusterSharding sharding = ClusterSharding.get(system);
    SessionEntity.Dependencies dependencies = new SessionEntity.Dependencies(
        settings.sessions(), settings.entities(), settings.catalog().costs(),
        agentId -> sharding.entityRefFor(AgentEntity.TYPE_KEY, agentId),
        orgId -> sharding.entityRefFor(OrgEntity.TYPE_KEY, orgId),
        responder, channel, settings.entities().askTimeout(), Clock.systemUTC(), metrics, bookings, outreach);
    sharding.init(Entity.of(SessionEntity.TYPE_KEY, context -> SessionEntity.create(context.getEntityId(), dependencies))
        .withStopMessage(SessionCommand.Stop.INSTANCE));
  }
}
