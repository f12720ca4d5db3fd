package io.layercake.persistence.feed;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.runtime.feed.BroadcastEntity;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/** Fans each broadcast out into its audience's feeds (and notifications), exactly once, as one instance in the cluster. */
public final class BroadcastProjection {
  public static final String NAME = "broadcasts";

  private BroadcastProjection() {}

  public static void init(ActorSystem<?> system, ApplicationDatabase database) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        1,
        index -> ProjectionBehavior.create(JdbcProjection.exactlyOnce(
            ProjectionId.of(NAME, BroadcastEntity.TAG),
            EventSourcedProvider.<BroadcastEntity.Event>eventsByTag(system, JdbcReadJournal.Identifier(), BroadcastEntity.TAG),
            database::newSession,
            Handler::new,
            system)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static final class Handler extends JdbcHandler<EventEnvelope<BroadcastEntity.Event>, PooledJdbcSession> {
    private static final String PREFIX = BroadcastEntity.TYPE_KEY.name() + "|";

    @Override
    public void process(PooledJdbcSession session, EventEnvelope<BroadcastEntity.Event> envelope) throws Exception {
      if (envelope.event() instanceof BroadcastEntity.BroadcastSent sent) {
        String broadcastId = envelope.persistenceId().substring(PREFIX.length());
        session.withConnection(connection -> FeedItems.fanOut(connection, broadcastId, sent));
      }
    }
  }
}
