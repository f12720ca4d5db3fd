package io.layercake.bench.e2e;

import io.layercake.config.DatabaseDialect;
import io.layercake.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a window of load cost the node per message: its process's CPU (from {@code /proc}, the work
 * that trails the last reply included; the JIT compiler's part of it; its threads' context switches), the journal events written (read over JDBC: on H2 through
 * the TCP server the node runs for its file), and on H2 the SQL statements the database ran, from
 * H2's own query statistics, split by what they touch. PostgreSQL has no statement counts without an
 * extension; there the rows written outside the journal are counted instead, from its table statistics.
 * On H2 also the writes to its file and their bytes (H2's own counters): every commit written is a chunk.
 *
 * <p>It reads over one connection for the whole pass: on H2 every new connection to the node's TCP
 * server is a thread the node starts, which the threads row would count against the node.
 */
final class MessageCosts implements AutoCloseable {
  private static final int STATISTICS_ENTRIES = 10_000;
  private static final String MAX_ORDERING = "SELECT COALESCE(MAX(ordering), 0) FROM event_journal";
  private static final String EVENTS_SINCE = "SELECT COUNT(*),"
      + " SUM(CASE WHEN persistence_id LIKE 'Session|%' THEN 1 ELSE 0 END),"
      + " SUM(CASE WHEN persistence_id LIKE 'Org|%' THEN 1 ELSE 0 END) FROM event_journal WHERE ordering > ?";
  private static final String STATISTICS =
      "SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS";
  private static final String ROWS_WRITTEN =
      "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables";
  private static final String FILE_WRITES = "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
      + " WHERE SETTING_NAME IN ('info.FILE_WRITE', 'info.FILE_WRITE_BYTES')";
  private static final Set<String> JOURNAL_TABLES = Set.of("event_journal", "event_tag", "snapshot", "durable_state");

  private final DatabaseSettings database;
  private Connection connection;

  /** {@code database} as this process reaches it (for H2, the node's TCP address). */
  MessageCosts(DatabaseSettings database) {
    this.database = database;
  }

  /** The start of a window: the journal's last ordering, and (on H2) statement counts so far. */
  record Mark(long ordering, Map<String, Long> statements, Map<String, Long> rowsWritten, FileWrites file,
      long cpuNanos, NodeProcess.ThreadTimes threads) {}

  /** H2's writes to its file so far (each commit written is a chunk; the housekeeping's rewrites count too). */
  record FileWrites(long writes, long bytes) {}

  /**
   * Per message over a window; statement and file figures (H2) and read-model rows written (PostgreSQL)
   * are NaN where the database does not count them.
   */
  record PerMessage(long messages, double cpuMillis, double compilerCpuMillis, double contextSwitches, double events,
      double sessionEvents, double orgEvents, double statements, double readModelWrites, double journalWrites,
      double selects, double readModelRows, double fileWrites, double fileKilobytes) {}

  /** Turns H2's per-statement counting on (from then on); nothing on PostgreSQL. */
  void startCounting() throws SQLException {
    if (database.dialect() == DatabaseDialect.H2) {
      try (Statement statement = connection().createStatement()) {
        statement.execute("SET QUERY_STATISTICS_MAX_ENTRIES " + STATISTICS_ENTRIES);
        statement.execute("SET QUERY_STATISTICS TRUE");
      }
    }
  }

  /** Reads the database first, then the node's CPU: the window's CPU does not include this read. */
  Mark mark(NodeProcess node) throws SQLException {
    try (Statement statement = connection().createStatement()) {
      long ordering = single(statement, MAX_ORDERING);
      return new Mark(ordering, statements(statement), rowsWritten(statement), fileWrites(statement), node.cpuNanos(),
          node.threadTimes());
    }
  }

  /** Ends a window: the node's CPU first, then the database. */
  PerMessage since(Mark start, NodeProcess node, long messages) throws SQLException {
    long cpu = node.cpuNanos() - start.cpuNanos();
    NodeProcess.Window threads = node.threadTimes().since(start.threads());
    try (Statement statement = connection().createStatement();
        PreparedStatement events = connection().prepareStatement(EVENTS_SINCE)) {
      events.setLong(1, start.ordering());
      long total;
      long session;
      long org;
      try (ResultSet rows = events.executeQuery()) {
        rows.next();
        total = rows.getLong(1);
        session = rows.getLong(2);
        org = rows.getLong(3);
      }
      double n = messages;
      if (start.statements() == null) {
        long rows = 0;
        for (Map.Entry<String, Long> table : rowsWritten(statement).entrySet()) {
          if (!JOURNAL_TABLES.contains(table.getKey())) {
            rows += table.getValue() - start.rowsWritten().getOrDefault(table.getKey(), 0L);
          }
        }
        return new PerMessage(messages, cpu / 1e6 / n, threads.compilerCpuNanos() / 1e6 / n,
            threads.contextSwitches() / n, total / n, session / n, org / n, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, rows / n, Double.NaN, Double.NaN);
      }
      long all = 0;
      long readModel = 0;
      long journal = 0;
      long selects = 0;
      for (Map.Entry<String, Long> entry : statements(statement).entrySet()) {
        String sql = entry.getKey();
        if (sql.equals(MAX_ORDERING) || sql.equals(EVENTS_SINCE) || sql.contains("QUERY_STATISTICS")) {
          continue;
        }
        long count = entry.getValue() - start.statements().getOrDefault(sql, 0L);
        all += count;
        switch (kind(sql)) {
          case JOURNAL_WRITE -> journal += count;
          case READ_MODEL_WRITE -> readModel += count;
          case SELECT -> selects += count;
          case OTHER -> { }
        }
      }
      FileWrites file = fileWrites(statement);
      return new PerMessage(messages, cpu / 1e6 / n, threads.compilerCpuNanos() / 1e6 / n,
          threads.contextSwitches() / n, total / n, session / n, org / n, all / n, readModel / n, journal / n,
          selects / n, Double.NaN, (file.writes() - start.file().writes()) / n,
          (file.bytes() - start.file().bytes()) / 1024.0 / n);
    }
  }

  private enum Kind { JOURNAL_WRITE, READ_MODEL_WRITE, SELECT, OTHER }

  /** Writes to the journal's tables (events, tags, snapshots) against every other write (read model, offsets). */
  private static Kind kind(String sql) {
    String text = sql.trim().toLowerCase(Locale.ROOT);
    boolean write = text.startsWith("insert") || text.startsWith("update") || text.startsWith("delete")
        || text.startsWith("merge");
    if (write) {
      String target = text.replaceFirst("^(insert\\s+into|update|delete\\s+from|merge\\s+into)\\s+", "")
          .replace("\"", "").replaceFirst("^public\\.", "");
      boolean journal = target.startsWith("event_journal") || target.startsWith("event_tag")
          || target.startsWith("snapshot");
      return journal ? Kind.JOURNAL_WRITE : Kind.READ_MODEL_WRITE;
    }
    return text.startsWith("select") || text.startsWith("with") ? Kind.SELECT : Kind.OTHER;
  }

  /**
   * PostgreSQL's rows inserted, updated and deleted by table (its statistics, which a backend reports
   * within about a second of its transactions); null on H2.
   */
  private Map<String, Long> rowsWritten(Statement statement) throws SQLException {
    if (database.dialect() != DatabaseDialect.POSTGRES) {
      return null;
    }
    Map<String, Long> rows = new HashMap<>();
    try (ResultSet tables = statement.executeQuery(ROWS_WRITTEN)) {
      while (tables.next()) {
        rows.put(tables.getString(1), tables.getLong(2));
      }
    }
    return rows;
  }

  /** H2's statement counts by SQL text; null on PostgreSQL. */
  private Map<String, Long> statements(Statement statement) throws SQLException {
    if (database.dialect() != DatabaseDialect.H2) {
      return null;
    }
    Map<String, Long> counts = new HashMap<>();
    try (ResultSet rows = statement.executeQuery(STATISTICS)) {
      while (rows.next()) {
        counts.merge(rows.getString(1), rows.getLong(2), Long::sum);
      }
    }
    return counts;
  }

  /** H2's writes to its file so far; null on PostgreSQL. */
  private FileWrites fileWrites(Statement statement) throws SQLException {
    if (database.dialect() != DatabaseDialect.H2) {
      return null;
    }
    long writes = 0;
    long bytes = 0;
    try (ResultSet rows = statement.executeQuery(FILE_WRITES)) {
      while (rows.next()) {
        long value = Long.parseLong(rows.getString(2));
        if (rows.getString(1).equals("info.FILE_WRITE")) {
          writes = value;
        } else {
          bytes = value;
        }
      }
    }
    return new FileWrites(writes, bytes);
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The pass's one connection, opened on first use. */
  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      close();
      connection = DriverManager.getConnection(database.url(), database.user(), database.password().reveal());
    }
    return connection;
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      Connection open = connection;
      connection = null;
      open.close();
    }
  }
}
