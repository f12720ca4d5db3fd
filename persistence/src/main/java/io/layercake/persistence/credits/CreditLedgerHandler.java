package io.layercake.persistence.credits;

import io.layercake.persistence.jdbc.Json;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.persistence.notify.OrgParents;
import io.layercake.persistence.notify.WebhookFeed;
import io.layercake.runtime.credits.OrgEntity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Writes a group of Org events into the credit read model: every credit movement, the open
 * reservations the sweeper watches, and the notifications an agency must get. The projection
 * commits these rows and its offset in one transaction.
 */
final class CreditLedgerHandler extends JdbcHandler<List<EventEnvelope<OrgEntity.Event>>, PooledJdbcSession> {
  private static final String PERSISTENCE_ID_PREFIX = OrgEntity.TYPE_KEY.name() + "|";
  private static final String INSERT_MOVEMENT =
      "INSERT INTO credit_transactions (org_id, sub_org_id, agent_id, session_id, reservation_id, kind, bucket, amount,"
          + " item, occurred_at, persistence_id, sequence_number, line_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_OPEN =
      "INSERT INTO open_reservations (org_id, reservation_id, expires_at) VALUES (?, ?, ?)";
  private static final String DELETE_OPEN = "DELETE FROM open_reservations WHERE org_id = ? AND reservation_id = ?";
  private static final String INSERT_NOTIFICATION =
      "INSERT INTO notifications (org_id, kind, payload, created_at, persistence_id, sequence_number) VALUES (?, ?, ?, ?, ?, ?)";

  private final OrgParents parents;

  CreditLedgerHandler(OrgParents parents) {
    this.parents = parents;
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<OrgEntity.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      write(connection, envelopes);
      return null;
    });
  }

  private void write(Connection connection, List<EventEnvelope<OrgEntity.Event>> envelopes) throws SQLException {
    // A reservation opened and settled within the group (the common turn under load) never needs its row.
    Map<OpenKey, Instant> opened = new LinkedHashMap<>();
    List<OpenKey> settled = new ArrayList<>();
    try (PreparedStatement movements = connection.prepareStatement(INSERT_MOVEMENT);
        PreparedStatement notifications = connection.prepareStatement(INSERT_NOTIFICATION)) {
      for (EventEnvelope<OrgEntity.Event> envelope : envelopes) {
        String orgId = envelope.persistenceId().substring(PERSISTENCE_ID_PREFIX.length());
        OrgEntity.Event event = envelope.event();
        addMovements(movements, orgId, envelope);
        if (event instanceof OrgEntity.CreditsReserved e) {
          opened.put(new OpenKey(orgId, e.reservation().reservationId()), e.reservation().expiresAt());
        } else if (event instanceof OrgEntity.ReservationCommitted e) {
          settle(opened, settled, new OpenKey(orgId, e.reservationId()));
        } else if (event instanceof OrgEntity.ReservationReleased e) {
          settle(opened, settled, new OpenKey(orgId, e.reservationId()));
        } else if (event instanceof OrgEntity.LowCredits e) {
          Map<String, Object> low = Map.of("period", e.periodKey(), "available", e.available(), "monthlyAllocation", e.monthlyAllocation());
          addNotification(notifications, orgId, "credits.low", low, e.at(), envelope);
          WebhookFeed.record(connection, orgId, parents.parentOf(connection, orgId), null, "credits.low", envelope.sequenceNr(), low,
              e.at(), envelope.persistenceId(), envelope.sequenceNr());
        } else if (event instanceof OrgEntity.CreditsExhausted e) {
          addNotification(notifications, orgId, "credits.exhausted", Map.of("period", e.periodKey()), e.at(), envelope);
          WebhookFeed.record(connection, orgId, parents.parentOf(connection, orgId), null, "credits.exhausted", envelope.sequenceNr(),
              Map.of("period", e.periodKey()), e.at(), envelope.persistenceId(), envelope.sequenceNr());
        }
      }
      movements.executeBatch();
      notifications.executeBatch();
    }
    writeOpenReservations(connection, opened, settled);
  }

  /** An open reservation's row, by organization and reservation id. */
  private record OpenKey(String orgId, String reservationId) {}

  private static void settle(Map<OpenKey, Instant> openedInGroup, List<OpenKey> settled, OpenKey key) {
    if (openedInGroup.remove(key) == null) {
      settled.add(key);
    }
  }

  private static void writeOpenReservations(Connection connection, Map<OpenKey, Instant> opened, List<OpenKey> settled)
      throws SQLException {
    if (!opened.isEmpty()) {
      try (PreparedStatement insert = connection.prepareStatement(INSERT_OPEN)) {
        for (Map.Entry<OpenKey, Instant> reservation : opened.entrySet()) {
          insert.setString(1, reservation.getKey().orgId());
          insert.setString(2, reservation.getKey().reservationId());
          insert.setTimestamp(3, Timestamp.from(reservation.getValue()));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    if (!settled.isEmpty()) {
      try (PreparedStatement delete = connection.prepareStatement(DELETE_OPEN)) {
        for (OpenKey key : settled) {
          delete.setString(1, key.orgId());
          delete.setString(2, key.reservationId());
          delete.addBatch();
        }
        delete.executeBatch();
      }
    }
  }

  private static void addMovements(PreparedStatement statement, String orgId, EventEnvelope<OrgEntity.Event> envelope)
      throws SQLException {
    int line = 0;
    for (CreditMovement movement : CreditMovement.of(orgId, envelope.event())) {
      statement.setString(1, orgId);
      statement.setString(2, movement.subOrgId());
      statement.setString(3, movement.agentId());
      statement.setString(4, movement.sessionId());
      statement.setString(5, movement.reservationId());
      statement.setString(6, movement.kind());
      if (movement.bucket() == null) {
        statement.setNull(7, Types.VARCHAR);
      } else {
        statement.setString(7, movement.bucket().name().toLowerCase(Locale.ROOT));
      }
      statement.setLong(8, movement.amount());
      statement.setString(9, movement.item());
      statement.setTimestamp(10, Timestamp.from(movement.at()));
      statement.setString(11, envelope.persistenceId());
      statement.setLong(12, envelope.sequenceNr());
      statement.setInt(13, line++);
      statement.addBatch();
    }
  }

  private static void addNotification(
      PreparedStatement statement, String orgId, String kind, Map<String, Object> payload, Instant at,
      EventEnvelope<OrgEntity.Event> envelope) throws SQLException {
    statement.setString(1, orgId);
    statement.setString(2, kind);
    statement.setString(3, Json.write(payload));
    statement.setTimestamp(4, Timestamp.from(at));
    statement.setString(5, envelope.persistenceId());
    statement.setLong(6, envelope.sequenceNr());
    statement.addBatch();
  }
}
