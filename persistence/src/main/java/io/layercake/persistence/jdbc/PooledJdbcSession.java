package io.layercake.persistence.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.projection.jdbc.JdbcSession;

/** A projection's JDBC session: a pooled connection taken lazily, committed or rolled back by the projection. */
public final class PooledJdbcSession implements JdbcSession {
  private final DataSource dataSource;
  private Connection connection;

  PooledJdbcSession(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public <Result> Result withConnection(Function<Connection, Result> work) throws Exception {
    if (connection == null) {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
    }
    return work.apply(connection);
  }

  @Override
  public void commit() throws SQLException {
    if (connection != null) {
      connection.commit();
    }
  }

  @Override
  public void rollback() throws SQLException {
    if (connection != null) {
      connection.rollback();
    }
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
