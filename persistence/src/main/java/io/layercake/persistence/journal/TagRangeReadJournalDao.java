package io.layercake.persistence.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.config.ReadJournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import org.apache.pekko.persistence.jdbc.query.dao.DefaultReadJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import scala.Option;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.util.Failure;
import scala.util.Success;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The read journal's data access with one query of its own: events by tag. The plugin's query gives
 * the offset range to the journal side of its join only, so a database that reads the tag table
 * first (H2 always does) reads every row of the tag on every poll, a cost that grows with the
 * journal. This query puts the range on {@code event_tag.event_id} as well, so the index
 * {@code event_tag_tag_idx (tag, event_id)} reads only the new events: an idle poll reads nothing.
 * Same rows, same order, same deserialization as the plugin ({@code TagQueryPlanTest}). Configured
 * as {@code jdbc-read-journal.dao}; the other queries are the plugin's.
 */
public final class TagRangeReadJournalDao extends DefaultReadJournalDao {
  /**
   * Parameters: tag, offset (exclusive), newest ordering (inclusive), the two again, limit. The range
   * is on both sides of the join, so whichever table the planner reads first, it reads a range.
   */
  public static final String EVENTS_BY_TAG = "SELECT j.\"ordering\", j.\"deleted\", j.\"persistence_id\","
      + " j.\"sequence_number\", j.\"writer\", j.\"write_timestamp\", j.\"adapter_manifest\", j.\"event_payload\","
      + " j.\"event_ser_id\", j.\"event_ser_manifest\", j.\"meta_payload\", j.\"meta_ser_id\", j.\"meta_ser_manifest\""
      + " FROM \"event_tag\" t JOIN \"event_journal\" j ON j.\"ordering\" = t.\"event_id\""
      + " WHERE t.\"tag\" = ? AND t.\"event_id\" > ? AND t.\"event_id\" <= ?"
      + " AND j.\"ordering\" > ? AND j.\"ordering\" <= ? AND j.\"deleted\" = FALSE"
      + " ORDER BY t.\"event_id\" LIMIT ?";

  private final JdbcBackend.JdbcDatabaseDef database;
  private final Serialization serialization;

  /** The plugin's constructor: it creates the configured data access with these arguments. */
  public TagRangeReadJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile,
      ReadJournalConfig readJournalConfig, Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, readJournalConfig, serialization, ec, mat);
    this.database = db;
    this.serialization = serialization;
  }

  /** Events with the tag after {@code offset} up to {@code maxOffset}, at most {@code max}, in journal order. */
  @Override
  public org.apache.pekko.stream.scaladsl.Source<Try<Tuple3<PersistentRepr, Set<String>, Object>>, NotUsed> eventsByTag(
      String tag, long offset, long maxOffset, long max) {
    ExecutionContext blocking = database.executor().executionContext();
    CompletableFuture<List<JournalTables.JournalPekkoSerializationRow>> rows =
        CompletableFuture.supplyAsync(() -> rows(tag, offset, maxOffset, max), blocking::execute);
    return Source.completionStage(rows)
        .mapConcat(found -> found)
        .map(this::deserialize)
        .asScala();
  }

  private List<JournalTables.JournalPekkoSerializationRow> rows(String tag, long offset, long maxOffset, long max) {
    try (Connection connection = database.source().createConnection();
        PreparedStatement select = connection.prepareStatement(EVENTS_BY_TAG)) {
      select.setString(1, tag);
      select.setLong(2, offset);
      select.setLong(3, maxOffset);
      select.setLong(4, offset);
      select.setLong(5, maxOffset);
      select.setLong(6, Math.min(max, Integer.MAX_VALUE));
      List<JournalTables.JournalPekkoSerializationRow> found = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          found.add(row(result));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new IllegalStateException("reading the journal by tag " + tag + " failed: " + e.getMessage(), e);
    }
  }

  private static JournalTables.JournalPekkoSerializationRow row(ResultSet result) throws SQLException {
    byte[] metaPayload = result.getBytes(11);
    int metaSerId = result.getInt(12);
    boolean noMetaSerId = result.wasNull();
    return new JournalTables.JournalPekkoSerializationRow(
        result.getLong(1), result.getBoolean(2), result.getString(3), result.getLong(4), result.getString(5),
        result.getLong(6), result.getString(7), result.getBytes(8), result.getInt(9), result.getString(10),
        Option.apply(metaPayload), noMetaSerId ? Option.empty() : Option.apply(metaSerId),
        Option.apply(result.getString(13)));
  }

  private Try<Tuple3<PersistentRepr, Set<String>, Object>> deserialize(JournalTables.JournalPekkoSerializationRow row) {
    Try<Tuple2<PersistentRepr, Object>> event = PekkoSerialization.fromRow(serialization, row);
    if (event.isFailure()) {
      return new Failure<>(((Failure<Tuple2<PersistentRepr, Object>>) event).exception());
    }
    Tuple2<PersistentRepr, Object> found = event.get();
    return new Success<>(new Tuple3<>(found._1(), scala.collection.immutable.Set$.MODULE$.empty(), found._2()));
  }
}
