package io.layercake.bench.e2e;

import io.layercake.config.DatabaseDialect;
import io.layercake.config.DatabaseSettings;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the measured runs cost per message: CPU of this process (node, stubs and load together, so an
 * upper bound for the node), journal events written, and on H2 the SQL statements the database ran
 * (H2's own query statistics; PostgreSQL has no equivalent without an extension).
 */
final class MessageCosts {
  private static final int STATISTICS_ENTRIES = 10_000;

  /** Counters at one moment; {@code statements} is -1 where the database does not count them. */
  record Counters(long cpuNanos, long events, long statements) {}

  /** Per message between two counters. */
  record PerMessage(double cpuMillis, double events, double statements) {
    static PerMessage between(Counters before, Counters after, long messages) {
      return new PerMessage((after.cpuNanos() - before.cpuNanos()) / 1e6 / messages,
          (double) (after.events() - before.events()) / messages,
          before.statements() < 0 ? Double.NaN : (double) (after.statements() - before.statements()) / messages);
    }
  }

  private MessageCosts() {}

  /** Turns H2's per-statement counting on (from then on); nothing on PostgreSQL. */
  static void startCounting(DatabaseSettings database) throws SQLException {
    if (database.dialect() == DatabaseDialect.H2) {
      try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
        statement.execute("SET QUERY_STATISTICS_MAX_ENTRIES " + STATISTICS_ENTRIES);
        statement.execute("SET QUERY_STATISTICS TRUE");
      }
    }
  }

  static Counters read(DatabaseSettings database) throws SQLException {
    long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
      long events = single(statement, "SELECT COUNT(*) FROM event_journal");
      long statements = database.dialect() == DatabaseDialect.H2
          ? single(statement, "SELECT COALESCE(SUM(EXECUTION_COUNT), 0) FROM INFORMATION_SCHEMA.QUERY_STATISTICS")
          : -1;
      return new Counters(cpu, events, statements);
    }
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static Connection connect(DatabaseSettings database) throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password().reveal());
  }
}
