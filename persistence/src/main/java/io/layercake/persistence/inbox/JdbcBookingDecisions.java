package io.layercake.persistence.inbox;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.inbox.BookingDecisions;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/** Decisions in {@code booking_decisions}: one row per booking request, the first answer kept. */
public final class JdbcBookingDecisions implements BookingDecisions {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcBookingDecisions(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Decision> decide(long bookingId, String status, String decidedBy) {
    return database.write(connection -> {
      update(connection, "INSERT INTO booking_decisions (booking_id, status, decided_by, decided_at) SELECT ?, ?, ?, ?"
          + " WHERE NOT EXISTS (SELECT 1 FROM booking_decisions WHERE booking_id = ?)", bookingId, status, decidedBy, clock.instant(),
          bookingId);
      return first(connection, "SELECT * FROM booking_decisions WHERE booking_id = ?", rows -> new Decision(rows.getLong("booking_id"),
          rows.getString("status"), rows.getString("decided_by"), instant(rows, "decided_at")), bookingId).orElseThrow();
    });
  }
}
