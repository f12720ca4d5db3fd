package io.layercake.persistence.testing;

import io.layercake.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC for tests that look at or tamper with the tables directly. */
public final class Sql {
  private Sql() {}

  public static List<Long> longs(DatabaseSettings database, String query, Object... parameters) {
    try (Connection connection = connect(database);
        PreparedStatement statement = prepare(connection, query, parameters);
        ResultSet rows = statement.executeQuery()) {
      List<Long> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getLong(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(query, e);
    }
  }

  public static List<String> strings(DatabaseSettings database, String query, Object... parameters) {
    try (Connection connection = connect(database);
        PreparedStatement statement = prepare(connection, query, parameters);
        ResultSet rows = statement.executeQuery()) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(query, e);
    }
  }

  public static int update(DatabaseSettings database, String statementText, Object... parameters) {
    try (Connection connection = connect(database);
        PreparedStatement statement = prepare(connection, statementText, parameters)) {
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(statementText, e);
    }
  }

  public static List<String> tables(DatabaseSettings database) {
    try (Connection connection = connect(database);
        ResultSet rows = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      List<String> names = new ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString("TABLE_NAME"));
      }
      return names;
    } catch (SQLException e) {
      throw new IllegalStateException("listing tables", e);
    }
  }

  /** A plain connection of the test's own, outside any pool; the caller closes it. */
  public static Connection connect(DatabaseSettings database) throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password().reveal());
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
    return statement;
  }
}
