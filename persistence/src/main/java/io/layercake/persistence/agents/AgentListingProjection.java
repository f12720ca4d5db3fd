package io.layercake.persistence.agents;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.agent.AgentEntity;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/** Projects Agent events into the {@code agents} table, exactly once, as one instance in the cluster. */
public final class AgentListingProjection {
  public static final String NAME = "agent-listing";

  private AgentListingProjection() {}

  public static void init(ActorSystem<?> system, ApplicationDatabase database) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        1,
        index -> ProjectionBehavior.create(JdbcProjection.exactlyOnce(
            ProjectionId.of(NAME, AgentEntity.TAG),
            EventSourcedProvider.<AgentEntity.Event>eventsByTag(system, JdbcReadJournal.Identifier(), AgentEntity.TAG),
            database::newSession,
            AgentListingHandler::new,
            system)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }
}
