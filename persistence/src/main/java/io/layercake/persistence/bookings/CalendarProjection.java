package io.layercake.persistence.bookings;

import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.runtime.bookings.Appointment;
import io.layercake.runtime.bookings.CalendarEntity;
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

/** Writes the calendars' appointments into {@code appointments}, exactly once, as one instance in the cluster. */
public final class CalendarProjection {
  public static final String NAME = "calendars";

  private CalendarProjection() {}

  public static void init(ActorSystem<?> system, ApplicationDatabase database) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        1,
        index -> ProjectionBehavior.create(JdbcProjection.exactlyOnce(
            ProjectionId.of(NAME, CalendarEntity.TAG),
            EventSourcedProvider.<CalendarEntity.Event>eventsByTag(system, JdbcReadJournal.Identifier(), CalendarEntity.TAG),
            database::newSession,
            Handler::new,
            system)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  static final class Handler extends JdbcHandler<EventEnvelope<CalendarEntity.Event>, PooledJdbcSession> {
    private static final String PREFIX = CalendarEntity.TYPE_KEY.name() + "|";

    @Override
    public void process(PooledJdbcSession session, EventEnvelope<CalendarEntity.Event> envelope) throws Exception {
      String orgId = envelope.persistenceId().substring(PREFIX.length());
      CalendarEntity.Event event = envelope.event();
      session.withConnection(connection -> {
        if (event instanceof CalendarEntity.AppointmentBooked booked) {
          Appointment a = booked.appointment();
          update(connection, "DELETE FROM appointments WHERE booking_id = ?", a.bookingId());
          update(connection, "INSERT INTO appointments (booking_id, org_id, session_id, agent_id, channel, contact, service, starts_at,"
                  + " ends_at, status, booked_by, booked_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              a.bookingId(), orgId, a.sessionId(), a.agentId(), a.channel(), a.contact(), a.service(), a.start(), a.end(),
              a.status().wireName(), a.bookedBy(), a.bookedAt(), a.bookedAt());
        } else if (event instanceof CalendarEntity.AppointmentDecided decided) {
          String status = switch (decided.decision()) {
            case CONFIRM -> Appointment.Status.CONFIRMED.wireName();
            case DECLINE -> Appointment.Status.DECLINED.wireName();
            case CANCEL -> Appointment.Status.CANCELLED.wireName();
          };
          update(connection, "UPDATE appointments SET status = ?, updated_at = ? WHERE booking_id = ?", status, decided.at(),
              decided.bookingId());
        } else if (event instanceof CalendarEntity.AppointmentRescheduled moved) {
          update(connection, "UPDATE appointments SET starts_at = ?, ends_at = ?, updated_at = ? WHERE booking_id = ?", moved.start(),
              moved.end(), moved.at(), moved.bookingId());
        }
        return null;
      });
    }
  }
}
