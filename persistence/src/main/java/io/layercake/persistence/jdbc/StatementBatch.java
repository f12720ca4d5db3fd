package io.layercake.persistence.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Statements collected for one transaction and sent as JDBC batches ({@link Instant}s become
 * timestamps). {@link #byStatement()} sends all rows of one SQL text as one batch, in the order the
 * texts were first used: for statements that commute (inserts of distinct rows). {@link #inOrder()}
 * keeps the order of every statement and batches only runs of the same text: for updates that
 * depend on one another.
 */
public final class StatementBatch {
  private final boolean keepOrder;
  private final Map<String, List<Object[]>> bySql = new LinkedHashMap<>();
  private final List<Run> runs = new ArrayList<>();

  private StatementBatch(boolean keepOrder) {
    this.keepOrder = keepOrder;
  }

  public static StatementBatch byStatement() {
    return new StatementBatch(false);
  }

  public static StatementBatch inOrder() {
    return new StatementBatch(true);
  }

  public void add(String sql, Object... parameters) {
    if (!keepOrder) {
      bySql.computeIfAbsent(sql, ignored -> new ArrayList<>()).add(parameters);
      return;
    }
    Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
    if (last == null || !last.sql().equals(sql)) {
      last = new Run(sql, new ArrayList<>());
      runs.add(last);
    }
    last.rows().add(parameters);
  }

  public boolean isEmpty() {
    return bySql.isEmpty() && runs.isEmpty();
  }

  /** Sends everything collected and forgets it; returns the number of statements sent. */
  public int flush(Connection connection) throws SQLException {
    int sent = 0;
    for (Map.Entry<String, List<Object[]>> entry : bySql.entrySet()) {
      sent += execute(connection, entry.getKey(), entry.getValue());
    }
    for (Run run : runs) {
      sent += execute(connection, run.sql(), run.rows());
    }
    bySql.clear();
    runs.clear();
    return sent;
  }

  private static int execute(Connection connection, String sql, List<Object[]> rows) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      if (rows.size() == 1) {
        bind(statement, rows.get(0));
        statement.executeUpdate();
        return 1;
      }
      for (Object[] row : rows) {
        bind(statement, row);
        statement.addBatch();
      }
      statement.executeBatch();
      return rows.size();
    }
  }

  private static void bind(PreparedStatement statement, Object[] parameters) throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      Object value = parameters[i];
      statement.setObject(i + 1, value instanceof Instant instant ? Timestamp.from(instant) : value);
    }
  }

  private record Run(String sql, List<Object[]> rows) {}
}
