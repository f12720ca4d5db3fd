package io.layercake.persistence.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plain JDBC for the repositories: positional parameters ({@link Instant}s become timestamps), rows read by a function. */
public final class Statements {
  private Statements() {}

  /** Reads one row. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rows) throws SQLException;
  }

  public static int update(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, parameters)) {
      return statement.executeUpdate();
    }
  }

  public static <T> List<T> query(Connection connection, String sql, Row<T> row, Object... parameters) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rows = statement.executeQuery()) {
      List<T> results = new ArrayList<>();
      while (rows.next()) {
        results.add(row.read(rows));
      }
      return results;
    }
  }

  public static <T> Optional<T> first(Connection connection, String sql, Row<T> row, Object... parameters) throws SQLException {
    List<T> found = query(connection, sql, row, parameters);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      Object value = parameters[i];
      statement.setObject(i + 1, value instanceof Instant instant ? Timestamp.from(instant) : value);
    }
    return statement;
  }

  /** A nullable timestamp column as an instant. */
  public static Instant instant(ResultSet rows, String column) throws SQLException {
    Timestamp timestamp = rows.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }
}
