package io.layercake.persistence.credits;

import io.layercake.config.ProjectionSettings;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.notify.OrgParents;
import io.layercake.runtime.credits.CreditTags;
import io.layercake.runtime.credits.OrgEntity;
import java.time.Clock;
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
 * Projects Org events into {@code credit_transactions}, {@code open_reservations} and
 * {@code notifications}: one projection instance per credit tag slice, spread over the cluster,
 * each writing a group of events ({@link ProjectionSettings}) as JDBC batches with its offset in the
 * same transaction (exactly once).
 */
public final class CreditLedgerProjection {
  public static final String NAME = "credit-ledger";

  private CreditLedgerProjection() {}

  public static void init(ActorSystem<?> system, ApplicationDatabase database, ProjectionSettings grouping) {
    List<String> tags = CreditTags.all();
    OrgParents parents = new OrgParents(Clock.systemUTC(), OrgParents.PATIENCE);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        tags.size(),
        index -> ProjectionBehavior.create(projection(system, database, tags.get(index), parents, grouping)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static GroupedProjection<Offset, EventEnvelope<OrgEntity.Event>> projection(
      ActorSystem<?> system, ApplicationDatabase database, String tag, OrgParents parents,
      ProjectionSettings grouping) {
    SourceProvider<Offset, EventEnvelope<OrgEntity.Event>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(NAME, tag), source, database::newSession, () -> new CreditLedgerHandler(parents), system)
        .withGroup(grouping.groupSize(), grouping.groupWithin())
        .withRecoveryStrategy(OrgParents.RECOVERY);
  }
}
