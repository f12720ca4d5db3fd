package io.layercake.persistence.credits;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.access.OrgDirectoryProjection;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.credits.CreditReports;
import io.layercake.runtime.credits.Organizations;
import io.layercake.runtime.credits.ReservationSweeper;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The credit ledger of a node: the org entities (through {@link Organizations}), the projection
 * into the read model, the organization directory's projection (whose parents the webhook feeds
 * wait for), the reports on it, the sweeper that expires reservations of organizations not in
 * memory (a cluster singleton), and the journal audit.
 */
public record CreditLedger(Organizations organizations, CreditReports reports, JournalLedgerAudit audit) {

  /** Starts the projections and the sweeper; the org entity type must already be registered with sharding. */
  public static CreditLedger start(ActorSystem<?> system, LayercakeSettings settings, ApplicationDatabase database) {
    Organizations organizations = new Organizations(system, settings.entities().askTimeout());
    CreditReports reports = new JdbcCreditReports(database);
    CreditLedgerProjection.init(system, database, settings.projections());
    OrgDirectoryProjection.init(system, database);
    ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(ReservationSweeper.create(
                reports, organizations, settings.credits().sweepInterval(), Clock.systemUTC()))
            .onFailure(SupervisorStrategy.restart()),
        "reservation-sweeper"));
    return new CreditLedger(organizations, reports, new JournalLedgerAudit(system, database));
  }
}
