package io.layercake.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2HousekeepingTest {
  private static final int COMMITS = 3_000;
  private static final int MAX_TICKS = 500;

  @TempDir Path directory;

  @Test
  void sparseChunksLeftByManySmallCommitsAreRewrittenAndFreed() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory, 2);
    JdbcDataSource dataSource = dataSource(database);
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("create table journal (id bigint primary key, payload varchar(200))");
      statement.execute("create table offsets (name varchar(20) primary key, position bigint)");
      statement.execute("insert into offsets values ('projection', 0)");
      // a chunk per commit, as the node's group commit writes them when messages arrive one by one
      try (H2GroupCommit groupCommit = H2GroupCommit.attach(database.url(), dataSource, Runnable::run, Duration.ofHours(1))
          .orElseThrow()) {
        appendAndAdvance(connection, groupCommit);
      }
      Occupancy before = occupancy(connection);
      assertThat(before.chunks()).as("a chunk per commit, most of it dead: %s", before).isGreaterThan(100);
      assertThat(before.fillRate()).as("%s", before).isLessThan(50);

      // chunks may be rewritten as soon as they are written: the test does not wait out the retention
      H2Housekeeping housekeeping = H2Housekeeping.attach(database.url(), dataSource, Duration.ZERO).orElseThrow();
      Occupancy after = before;
      for (int tick = 0; tick < MAX_TICKS && after.chunks() >= before.chunks() / 100; tick++) {
        housekeeping.tick();
        after = occupancy(connection);
      }
      assertThat(after.chunks()).as("before %s, after %s", before, after).isLessThan(before.chunks() / 100);
      assertThat(after.fillRate()).as("before %s, after %s", before, after).isGreaterThanOrEqualTo(10 * before.fillRate());
      try (ResultSet rows = statement.executeQuery("select count(*), max(id) from journal")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).as("nothing lost").isEqualTo(COMMITS);
        assertThat(rows.getLong(2)).isEqualTo(COMMITS);
      }
    }
  }

  @Test
  void spaceIsReusedAfterFiveSecondsNotH2sFortyFive() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory, 2);
    JdbcDataSource dataSource = dataSource(database);
    try (Connection connection = dataSource.getConnection()) {
      assertThat(setting(connection, "RETENTION_TIME")).isEqualTo("45000");
      H2Housekeeping.attach(database.url(), dataSource).orElseThrow().tick();
      assertThat(setting(connection, "RETENTION_TIME")).as("every tick forces the file to disk").isEqualTo("5000");
    }
  }

  @Test
  void aFileH2ClosedAndReopenedIsConfiguredAgainByTheNextTick() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory, 2);
    JdbcDataSource dataSource = dataSource(database);
    H2Housekeeping housekeeping;
    try (Connection connection = dataSource.getConnection()) {
      housekeeping = H2Housekeeping.attach(database.url(), dataSource).orElseThrow();
      assertThat(setting(connection, "RETENTION_TIME")).isEqualTo("5000");
    }
    // the last connection closed: H2 closed the database, and opens a new store for the next
    try (Connection connection = dataSource.getConnection()) {
      assertThat(setting(connection, "RETENTION_TIME")).as("H2's default again").isEqualTo("45000");
      housekeeping.tick();
      assertThat(setting(connection, "RETENTION_TIME")).isEqualTo("5000");
    }
  }

  @Test
  void onlyAnH2FileHasHousekeeping() {
    JdbcDataSource memory = new JdbcDataSource();
    memory.setURL("jdbc:h2:mem:housekeeping");
    assertThat(H2Housekeeping.attach("jdbc:h2:mem:housekeeping", memory)).isEqualTo(Optional.empty());
    assertThat(H2Housekeeping.attach("jdbc:postgresql://127.0.0.1:5432/x", memory)).isEmpty();
  }

  private static JdbcDataSource dataSource(DatabaseSettings database) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(database.url());
    dataSource.setUser(database.user());
    dataSource.setPassword(database.password().reveal());
    return dataSource;
  }

  /** The journal's pattern: an append and an offset update, each in its own commit. */
  private static void appendAndAdvance(Connection connection, H2GroupCommit groupCommit) throws Exception {
    try (PreparedStatement append = connection.prepareStatement("insert into journal values (?, ?)");
        PreparedStatement advance = connection.prepareStatement("update offsets set position = ? where name = 'projection'")) {
      for (int id = 1; id <= COMMITS; id++) {
        append.setLong(1, id);
        append.setString(2, "event " + id + " of a conversation, with some text to make the row realistic");
        append.executeUpdate();
        groupCommit.ofCommitsSoFar().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        advance.setLong(1, id);
        advance.executeUpdate();
        groupCommit.ofCommitsSoFar().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  private static String setting(Connection connection, String name) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).as(name).isTrue();
        return rows.getString(1);
      }
    }
  }

  private static Occupancy occupancy(Connection connection) throws SQLException {
    try (ResultSet rows = connection.createStatement().executeQuery(
        "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
            + "WHERE SETTING_NAME IN ('info.CHUNK_COUNT', 'info.CHUNKS_FILL_RATE')")) {
      int chunks = -1;
      int fillRate = -1;
      while (rows.next()) {
        int value = Integer.parseInt(rows.getString(2));
        if (rows.getString(1).equals("info.CHUNK_COUNT")) {
          chunks = value;
        } else {
          fillRate = value;
        }
      }
      return new Occupancy(chunks, fillRate);
    }
  }

  private record Occupancy(int chunks, int fillRate) {}
}
