package io.layercake.persistence.access;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.credits.OrgEntity;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/** Projects organization profile events into {@code organizations}, exactly once, as one instance in the cluster. */
public final class OrgDirectoryProjection {
  public static final String NAME = "org-directory";

  private OrgDirectoryProjection() {}

  public static void init(ActorSystem<?> system, ApplicationDatabase database) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        1,
        index -> ProjectionBehavior.create(JdbcProjection.exactlyOnce(
            ProjectionId.of(NAME, OrgEntity.PROFILE_TAG),
            EventSourcedProvider.<OrgEntity.Event>eventsByTag(system, JdbcReadJournal.Identifier(), OrgEntity.PROFILE_TAG),
            database::newSession,
            OrgDirectoryHandler::new,
            system)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }
}
