package io.layercake.persistence.bookings;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.bookings.Appointment;
import io.layercake.runtime.bookings.Appointments;
import io.layercake.runtime.people.Tokens;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Appointments from {@code appointments}; calendar feed tokens in {@code calendar_feeds} (hashed). */
public final class JdbcAppointments implements Appointments {
  private static final String SELECT = "SELECT booking_id, org_id, session_id, agent_id, channel, contact, service, starts_at, ends_at,"
      + " status, booked_by, booked_at FROM appointments";

  private final ApplicationDatabase database;

  public JdbcAppointments(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<List<Listed>> between(String orgId, Instant from, Instant to, int limit) {
    return database.read(connection -> query(connection, SELECT + " WHERE org_id = ? AND starts_at < ? AND ends_at > ?"
        + " ORDER BY starts_at, booking_id LIMIT " + Math.max(1, limit), JdbcAppointments::listed, orgId, to, from));
  }

  @Override
  public CompletionStage<Optional<Listed>> find(String bookingId) {
    return database.read(connection -> first(connection, SELECT + " WHERE booking_id = ?", JdbcAppointments::listed, bookingId));
  }

  @Override
  public CompletionStage<String> newFeedToken(String orgId, Instant at) {
    String token = Tokens.random(24);
    return database.write(connection -> {
      Object[] values = {Tokens.hash(token), at, orgId};
      if (update(connection, "UPDATE calendar_feeds SET token_hash = ?, created_at = ? WHERE org_id = ?", values) == 0) {
        update(connection, "INSERT INTO calendar_feeds (token_hash, created_at, org_id) VALUES (?, ?, ?)", values);
      }
      return token;
    });
  }

  @Override
  public CompletionStage<Optional<String>> feedOwner(String token) {
    return database.read(connection -> first(connection, "SELECT org_id FROM calendar_feeds WHERE token_hash = ?", rows -> rows.getString(1),
        Tokens.hash(token)));
  }

  private static Listed listed(ResultSet rows) throws SQLException {
    return new Listed(rows.getString("org_id"), new Appointment(rows.getString("booking_id"), rows.getString("session_id"),
        rows.getString("agent_id"), rows.getString("channel"), rows.getString("contact"), rows.getString("service"),
        instant(rows, "starts_at"), instant(rows, "ends_at"),
        Appointment.Status.valueOf(rows.getString("status").toUpperCase(Locale.ROOT)), rows.getString("booked_by"),
        instant(rows, "booked_at")));
  }
}
