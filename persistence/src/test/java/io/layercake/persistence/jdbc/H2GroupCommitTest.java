package io.layercake.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file as a killed process leaves it is a copy of it taken while the database is open: H2 opens
 * such a copy at its last whole chunk.
 */
class H2GroupCommitTest {
  private static final Duration NEVER = Duration.ofHours(1);
  private static final ActorTestKit testKit = ActorTestKit.create();

  @TempDir Path directory;

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @Test
  void aCommitIsInTheFileOnceAWaitForItCompletesAndNotBefore() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory.resolve("node"), 2);
    JdbcDataSource dataSource = dataSource(database.url());
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("create table replies (id bigint primary key)");
      H2GroupCommit groupCommit = H2GroupCommit.attach(database.url(), dataSource, Runnable::run, NEVER).orElseThrow();
      wait(groupCommit);

      statement.execute("insert into replies values (1)");
      assertThat(idsInACopy(database, "before")).as("committed, but only in memory").isEmpty();
      wait(groupCommit);
      assertThat(idsInACopy(database, "after")).containsExactly(1L);
      groupCommit.close();
    }
  }

  @Test
  void aCommitNobodyWaitsForReachesTheFileWithinThePeriod() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory.resolve("node"), 2);
    JdbcDataSource dataSource = dataSource(database.url());
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("create table replies (id bigint primary key)");
      H2GroupCommit groupCommit = H2GroupCommit.attach(database.url(), dataSource, Runnable::run, Duration.ofMillis(50))
          .orElseThrow();
      statement.execute("insert into replies values (7)");
      AtomicInteger copies = new AtomicInteger();
      testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
        assertThat(idsInACopy(database, "copy-" + copies.incrementAndGet())).containsExactly(7L);
        return null;
      });
      groupCommit.close();
    }
  }

  @Test
  void writersWaitingTogetherShareWrites() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory.resolve("node"), 2);
    JdbcDataSource dataSource = dataSource(database.url());
    int writers = 8;
    int commitsEach = 50;
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("create table replies (id bigint primary key)");
      H2GroupCommit groupCommit = H2GroupCommit.attach(database.url(), dataSource, Runnable::run, NEVER).orElseThrow();
      wait(groupCommit);
      long writesBefore = fileWrites(statement);
      ExecutorService threads = Executors.newFixedThreadPool(writers);
      List<Future<?>> done = new ArrayList<>();
      for (int writer = 0; writer < writers; writer++) {
        int first = writer * commitsEach;
        done.add(threads.submit(() -> {
          try (Connection own = dataSource.getConnection(); Statement insert = own.createStatement()) {
            for (int id = first; id < first + commitsEach; id++) {
              insert.execute("insert into replies values (" + id + ")");
              wait(groupCommit);
            }
          }
          return null;
        }));
      }
      for (Future<?> writer : done) {
        writer.get(60, TimeUnit.SECONDS);
      }
      threads.shutdown();
      long writes = fileWrites(statement) - writesBefore;
      assertThat(writes).as("%d commits, each waited for", writers * commitsEach).isLessThan(writers * commitsEach);
      assertThat(idsInACopy(database, "after")).hasSize(writers * commitsEach);
      groupCommit.close();
    }
  }

  @Test
  void afterCloseAWaitCompletesAtOnce() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory.resolve("node"), 2);
    JdbcDataSource dataSource = dataSource(database.url());
    try (Connection connection = dataSource.getConnection()) {
      H2GroupCommit groupCommit = H2GroupCommit.attach(database.url(), dataSource, Runnable::run, NEVER).orElseThrow();
      CompletableFuture<?> pending = groupCommit.ofCommitsSoFar().toCompletableFuture();
      groupCommit.close();
      assertThat(pending).isCompleted();
      assertThat(groupCommit.ofCommitsSoFar().toCompletableFuture()).isCompleted();
    }
  }

  @Test
  void onlyAnH2FileHasGroupCommit() {
    JdbcDataSource memory = dataSource("jdbc:h2:mem:group-commit");
    assertThat(H2GroupCommit.attach("jdbc:h2:mem:group-commit", memory, Runnable::run)).isEmpty();
    assertThat(H2GroupCommit.attach("jdbc:postgresql://127.0.0.1:5432/x", memory, Runnable::run)).isEmpty();
  }

  private static void wait(H2GroupCommit groupCommit) throws Exception {
    groupCommit.ofCommitsSoFar().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The ids in a copy of the file taken now, as H2 opens it after a killed process. */
  private List<Long> idsInACopy(DatabaseSettings database, String name) throws Exception {
    Path file = Path.of(database.url().substring("jdbc:h2:file:".length(), database.url().indexOf(';')) + ".mv.db");
    Path copy = directory.resolve("copies").resolve(name);
    Files.createDirectories(copy);
    Files.copy(file, copy.resolve("layercake.mv.db"));
    try (Connection connection = dataSource(DatabaseSettings.h2File(copy, 1).url()).getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select id from replies order by id")) {
      List<Long> ids = new ArrayList<>();
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
      return ids;
    }
  }

  private static long fileWrites(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery(
        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_WRITE'")) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }

  private static JdbcDataSource dataSource(String url) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(url);
    dataSource.setUser("layercake");
    dataSource.setPassword("");
    return dataSource;
  }
}
