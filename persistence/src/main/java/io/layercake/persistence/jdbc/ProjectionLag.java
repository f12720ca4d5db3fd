package io.layercake.persistence.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * How far each projection is behind the journal: the tagged events after its stored offset, and
 * how long ago the oldest of them was written. Reads pekko-projection-jdbc's offset store and the
 * journal's tag index; sequence offsets only (every projection here reads by tag).
 */
public final class ProjectionLag {
  private static final String SEQUENCE = "SEQ";

  private final ApplicationDatabase database;
  private final Clock clock;

  public ProjectionLag(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** One projection instance (a name and the tag it reads) and its lag. */
  public record Lag(String projection, String tag, long eventsBehind, Duration behind) {}

  public CompletionStage<List<Lag>> measure() {
    return database.read(connection -> {
      record Offset(String projection, String tag, long offset) {}
      List<Offset> offsets = Statements.query(connection,
          "SELECT \"projection_name\", \"projection_key\", \"current_offset\" FROM \"pekko_projection_offset_store\""
              + " WHERE \"manifest\" = ?",
          rows -> new Offset(rows.getString(1), rows.getString(2), Long.parseLong(rows.getString(3))), SEQUENCE);
      Instant now = clock.instant();
      List<Lag> lags = new ArrayList<>();
      for (Offset offset : offsets) {
        lags.add(Statements.first(connection,
            "SELECT COUNT(*), MIN(j.\"write_timestamp\") FROM \"event_tag\" t JOIN \"event_journal\" j ON j.\"ordering\" = t.\"event_id\""
                + " WHERE t.\"tag\" = ? AND t.\"event_id\" > ?",
            rows -> {
              long behind = rows.getLong(1);
              long oldest = rows.getLong(2);
              Duration age = behind == 0 || rows.wasNull() ? Duration.ZERO
                  : Duration.between(Instant.ofEpochMilli(oldest), now);
              return new Lag(offset.projection(), offset.tag(), behind, age.isNegative() ? Duration.ZERO : age);
            }, offset.tag(), offset.offset()).orElseThrow());
      }
      return lags;
    });
  }
}
