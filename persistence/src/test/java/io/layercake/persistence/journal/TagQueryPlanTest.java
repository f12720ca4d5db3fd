package io.layercake.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.layercake.config.DatabaseDialect;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Every projection polls the journal by tag several times a second, so that query must be served
 * by an index and read only the events after the offset, however large the journal. The query is
 * the one the read journal sends ({@link TagRangeReadJournalDao}, checked to be in use: the plugin's
 * own tag query never reaches Slick's statement log), and the plan is the database's own, on a
 * journal large enough (and analysed) for the planner to choose.
 */
@ExtendWith(FreshDatabases.Extension.class)
class TagQueryPlanTest {
  private static final int EVENTS = 20_000;
  private static final int TAGS = 10;
  private static final String TAG = "tag-3";

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theTagQueryReadsNoTableWhole(TestDatabases kind, FreshDatabases databases, @TempDir Path dir)
      throws SQLException {
    DatabaseSettings database = databases.create(kind, dir);
    LayercakeSettings settings = TestNodes.settings(dir, database, 100);
    ActorTestKit testKit = ActorTestKit.create(TestNodes.migratedPekkoConfig(settings));
    String tagQuery = TagRangeReadJournalDao.EVENTS_BY_TAG;
    try {
      fillJournal(database);
      assertThat(tagQueriesOfThePlugin(testKit)).as("the plugin's own tag query is not used").isEmpty();
    } finally {
      testKit.shutdownTestKit();
    }
    long last = Sql.longs(database, "SELECT MAX(\"ordering\") FROM \"event_journal\"").get(0);

    // an idle poll (nothing after the offset) and a poll that finds the last 100 events
    for (long offset : List.of(last, last - 100)) {
      if (kind == TestDatabases.H2) {
        String plan = h2Plan(database, tagQuery, offset, last);
        assertThat(plan).as(plan).doesNotContain("tableScan");
        assertThat(rowsRead(plan)).as("rows read per table (a probe reads two), of a journal of %d\n%s", EVENTS, plan)
            .allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(2 * (last - offset) + 2));
      } else {
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
          String plan = postgresPlan(database, tagQuery, offset, last, mode);
          assertThat(plan).as(mode + "\n" + plan).doesNotContain("Seq Scan");
        }
      }
    }
  }

  /**
   * Journal rows for a few hundred entities (byte-array payloads, serializer 4), each event with one of
   * {@value #TAGS} tags, then fresh statistics.
   */
  private static void fillJournal(DatabaseSettings database) throws SQLException {
    try (Connection connection = Sql.connect(database)) {
      connection.setAutoCommit(false);
      try (PreparedStatement journal = connection.prepareStatement(
          "INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\", \"write_timestamp\","
              + " \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\")"
              + " VALUES (?, ?, 'w', 0, '', ?, 4, '')")) {
        byte[] payload = "e".getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i <= EVENTS; i++) {
          journal.setString(1, "Plan|" + i % 500);
          journal.setLong(2, i);
          journal.setBytes(3, payload);
          journal.addBatch();
        }
        journal.executeBatch();
      }
      try (Statement tags = connection.createStatement()) {
        tags.executeUpdate("INSERT INTO \"event_tag\" (\"event_id\", \"tag\")"
            + " SELECT \"ordering\", CONCAT('tag-', MOD(\"ordering\", " + TAGS + ")) FROM \"event_journal\"");
      }
      connection.commit();
      try (Statement analyse = connection.createStatement()) {
        analyse.execute(database.dialect() == DatabaseDialect.H2 ? "ANALYZE" : "ANALYZE event_journal, event_tag");
      }
      connection.commit();
    }
  }

  /** What H2 says it read of each table of the plan. */
  private static List<Long> rowsRead(String plan) {
    java.util.regex.Matcher scan = java.util.regex.Pattern.compile("scanCount: (\\d+)").matcher(plan);
    List<Long> counts = new ArrayList<>();
    while (scan.find()) {
      counts.add(Long.parseLong(scan.group(1)));
    }
    assertThat(counts).as(plan).isNotEmpty();
    return counts;
  }

  /**
   * Runs a tag query through the read journal (its answer checked) and returns the tag queries Slick
   * logged meanwhile: the plugin's own, were it in use.
   */
  private static List<String> tagQueriesOfThePlugin(ActorTestKit testKit) {
    Logger statements = (Logger) LoggerFactory.getLogger("slick.jdbc.JdbcBackend.statement");
    ListAppender<ILoggingEvent> caught = new ListAppender<>();
    caught.start();
    Level before = statements.getLevel();
    statements.setLevel(Level.DEBUG);
    statements.addAppender(caught);
    try {
      JdbcReadJournal journal = PersistenceQuery.get(testKit.system().classicSystem())
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
      List<EventEnvelope> recent = journal.currentEventsByTag(TAG, Offset.sequence(EVENTS - 20L))
          .runWith(Sink.seq(), testKit.system()).toCompletableFuture().join();
      assertThat(recent).extracting(EventEnvelope::sequenceNr).containsExactly(EVENTS - 17L, EVENTS - 7L);
    } finally {
      statements.detachAppender(caught);
      statements.setLevel(before);
    }
    List<String> tagQueries = new ArrayList<>();
    for (ILoggingEvent event : caught.list) {
      String message = event.getFormattedMessage();
      if (message.contains("\"event_tag\"") && message.toLowerCase().contains("select")) {
        tagQueries.add(message.substring(message.indexOf(':') + 1).trim());
      }
    }
    return tagQueries;
  }

  /** H2's plan with the rows it read; the parameters in the order of the SQL. */
  private static String h2Plan(DatabaseSettings database, String query, long offset, long last) throws SQLException {
    try (Connection connection = Sql.connect(database);
        PreparedStatement explain = connection.prepareStatement("EXPLAIN ANALYZE " + query)) {
      explain.setString(1, TAG);
      explain.setLong(2, offset);
      explain.setLong(3, last);
      explain.setLong(4, offset);
      explain.setLong(5, last);
      explain.setLong(6, 500);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }

  /** PostgreSQL's plan for the prepared statement, as a custom plan and as the generic plan a long poller gets. */
  private static String postgresPlan(DatabaseSettings database, String query, long offset, long last, String mode)
      throws SQLException {
    String prepared = query;
    for (int i = 1; prepared.contains("?"); i++) {
      prepared = prepared.replaceFirst("\\?", "\\$" + i);
    }
    try (Connection connection = Sql.connect(database); Statement statement = connection.createStatement()) {
      statement.execute("SET plan_cache_mode = " + mode);
      statement.execute("PREPARE tag_query (varchar, bigint, bigint, bigint, bigint, bigint) AS " + prepared);
      try (ResultSet rows = statement.executeQuery(
          "EXPLAIN ANALYZE EXECUTE tag_query ('" + TAG + "', " + offset + ", " + last + ", " + offset + ", " + last
              + ", 500)")) {
        StringBuilder plan = new StringBuilder();
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
        return plan.toString();
      }
    }
  }
}
