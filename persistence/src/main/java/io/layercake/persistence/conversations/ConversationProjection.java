package io.layercake.persistence.conversations;

import io.layercake.config.ProjectionSettings;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.notify.OrgParents;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Projects Session events into the conversation read model: one projection instance per session
 * tag slice, spread over the cluster, each writing a group of events ({@link ProjectionSettings}) and
 * its offset in one transaction.
 */
public final class ConversationProjection {
  public static final String NAME = "conversations";

  private ConversationProjection() {}

  public static void init(
      ActorSystem<?> system, ApplicationDatabase database, Duration wakeGrace, ProjectionSettings grouping) {
    List<String> tags = SessionEntity.TAGS;
    OrgParents parents = new OrgParents(Clock.systemUTC(), OrgParents.PATIENCE);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        tags.size(),
        index -> ProjectionBehavior.create(projection(system, database, tags.get(index), wakeGrace, parents, grouping)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static GroupedProjection<Offset, EventEnvelope<SessionEvent>> projection(
      ActorSystem<?> system, ApplicationDatabase database, String tag, Duration wakeGrace, OrgParents parents,
      ProjectionSettings grouping) {
    SourceProvider<Offset, EventEnvelope<SessionEvent>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(NAME, tag), source, database::newSession, () -> new ConversationHandler(wakeGrace, parents), system)
        .withGroup(grouping.groupSize(), grouping.groupWithin())
        .withRecoveryStrategy(OrgParents.RECOVERY);
  }
}
