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
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/** Registers the persistent entity types with Cluster Sharding, so any node can reach any entity by id ({@link io.layercake.runtime.limits.RateLimits} registers its own). */
public final class ShardedEntities {
  private ShardedEntities() {}

  public static void init(ActorSystem<?> system, LayercakeSettings settings) {
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
