package io.layercake.persistence.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import io.layercake.persistence.jdbc.CountingDataSource;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.persistence.notify.OrgParents;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Reservation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The credit ledger projection writes a group of organization events with the rows of writing them
 * one at a time; a reservation opened and settled within one group (the common turn under load)
 * costs no statement on {@code open_reservations}.
 */
@ExtendWith(FreshDatabases.Extension.class)
class CreditLedgerGroupTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String ROWS = "SELECT org_id, sub_org_id, agent_id, session_id, reservation_id, kind, bucket, amount, item,"
      + " occurred_at, sequence_number, line_number FROM credit_transactions ORDER BY sequence_number, line_number";
  private static final String OPEN = "SELECT reservation_id FROM open_reservations ORDER BY reservation_id";

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aGroupWritesTheRowsOfItsEventsAndSkipsReservationsOpenedAndSettledWithinIt(
      TestDatabases kind, FreshDatabases databases, @TempDir Path dir) throws Exception {
    List<EventEnvelope<OrgEntity.Event>> events = events();

    Written oneByOne = write(databases.create(kind, dir.resolve("single")), events, 1);
    Written atOnce = write(databases.create(kind, dir.resolve("once")), events, events.size());

    assertThat(oneByOne.open()).containsExactly("s-2:1");
    assertThat(atOnce.open()).isEqualTo(oneByOne.open());
    assertThat(atOnce.ledger()).hasSize(oneByOne.ledger().size()).isEqualTo(oneByOne.ledger());
    // the ledger's lines, then one insert for the one reservation still open; none for s-1:1 and s-3:1
    assertThat(atOnce.roundTrips()).as("round trips for the group").isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aReservationOpenedInOneGroupIsDeletedWhenALaterGroupSettlesIt(
      TestDatabases kind, FreshDatabases databases, @TempDir Path dir) throws Exception {
    List<EventEnvelope<OrgEntity.Event>> events = events();

    Written inTwos = write(databases.create(kind, dir.resolve("twos")), events, 2);
    Written oneByOne = write(databases.create(kind, dir.resolve("single")), events, 1);

    assertThat(inTwos.open()).isEqualTo(oneByOne.open()).containsExactly("s-2:1");
    assertThat(inTwos.ledger()).isEqualTo(oneByOne.ledger());
  }

  private record Written(List<String> ledger, List<String> open, int roundTrips) {}

  /** Three turns: s-1 answered (its hold partly returned), s-2 still thinking, s-3 released. */
  private static List<EventEnvelope<OrgEntity.Event>> events() {
    List<OrgEntity.Event> events = List.of(
        new OrgEntity.CreditsReserved(reservation("s-1:1", 3), T0.plusSeconds(1)),
        new OrgEntity.CreditsReserved(reservation("s-2:1", 2), T0.plusSeconds(2)),
        new OrgEntity.ReservationCommitted("s-1:1", 1, Balances.of(Bucket.MONTHLY, 1), Balances.of(Bucket.MONTHLY, 2),
            Balances.EMPTY, Balances.EMPTY, 0, 0, List.of(new CostLine("ai_reply", 1)), "grp-a", "s-1", "agent-a",
            T0.plusSeconds(3)),
        new OrgEntity.CreditsReserved(reservation("s-3:1", 1), T0.plusSeconds(4)),
        new OrgEntity.ReservationReleased("s-3:1", Balances.of(Bucket.MONTHLY, 1), Balances.EMPTY, false, "grp-a", "s-3",
            "agent-a", T0.plusSeconds(5)));
    List<EventEnvelope<OrgEntity.Event>> envelopes = new ArrayList<>();
    for (OrgEntity.Event event : events) {
      long sequence = envelopes.size() + 1;
      envelopes.add(EventEnvelope.create(Offset.sequence(sequence), OrgEntity.TYPE_KEY.name() + "|grp-a", sequence, event,
          T0.plusSeconds(sequence).toEpochMilli()));
    }
    return envelopes;
  }

  private static Reservation reservation(String reservationId, long amount) {
    String sessionId = reservationId.substring(0, reservationId.indexOf(':'));
    return new Reservation(reservationId, amount, Balances.of(Bucket.MONTHLY, amount), 0, "grp-a", sessionId, "agent-a",
        T0.plus(Duration.ofMinutes(5)), "2026-12-01", "2026-12");
  }

  private static Written write(DatabaseSettings database, List<EventEnvelope<OrgEntity.Event>> events, int groupSize)
      throws Exception {
    SchemaMigrations.migrate(database);
    CountingDataSource source = new CountingDataSource(database);
    CreditLedgerHandler handler = new CreditLedgerHandler(new OrgParents(Clock.systemUTC(), Duration.ofMinutes(2)));
    int roundTrips = 0;
    for (int from = 0; from < events.size(); from += groupSize) {
      PooledJdbcSession session = source.newSession();
      int before = source.sent();
      try {
        handler.process(session, events.subList(from, Math.min(events.size(), from + groupSize)));
        session.commit();
      } finally {
        session.close();
      }
      roundTrips += source.sent() - before;
    }
    return new Written(rows(database, ROWS), Sql.strings(database, OPEN), roundTrips);
  }

  private static List<String> rows(DatabaseSettings database, String query) throws java.sql.SQLException {
    List<String> rows = new ArrayList<>();
    try (java.sql.Connection connection = Sql.connect(database); java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet result = statement.executeQuery(query)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(result.getString(i)).append('|');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
