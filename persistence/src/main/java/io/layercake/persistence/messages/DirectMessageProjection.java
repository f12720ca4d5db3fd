package io.layercake.persistence.messages;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.messages.ThreadEntity;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/** Projects direct-message threads into {@code dm_inbox} and {@code dm_messages}, exactly once, as one instance in the cluster. */
public final class DirectMessageProjection {
  public static final String NAME = "direct-messages";

  private DirectMessageProjection() {}

  public static void init(ActorSystem<?> system, ApplicationDatabase database) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        1,
        index -> ProjectionBehavior.create(JdbcProjection.exactlyOnce(
            ProjectionId.of(NAME, ThreadEntity.TAG),
            EventSourcedProvider.<ThreadEntity.Event>eventsByTag(system, JdbcReadJournal.Identifier(), ThreadEntity.TAG),
            database::newSession,
            DirectMessageHandler::new,
            system)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }
}
