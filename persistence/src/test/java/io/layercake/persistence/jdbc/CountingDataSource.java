package io.layercake.persistence.jdbc;

import io.layercake.config.DatabaseSettings;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A plain, unpooled data source for tests that counts the statements it sends to the database:
 * each {@code execute...} call is one (a JDBC batch counts once, as the one round trip it is).
 */
public final class CountingDataSource implements DataSource {
  private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate", "executeBatch",
      "executeLargeUpdate", "executeLargeBatch");

  private final DatabaseSettings database;
  private final AtomicInteger sent = new AtomicInteger();

  public CountingDataSource(DatabaseSettings database) {
    this.database = database;
  }

  /** Round trips to the database so far. */
  public int sent() {
    return sent.get();
  }

  /** A projection session on this data source, as the projections get from the application's pool. */
  public PooledJdbcSession newSession() {
    return new PooledJdbcSession(this);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password().reveal());
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, arguments) -> {
          Object result = invoke(connection, method, arguments);
          if (result instanceof PreparedStatement statement) {
            return counted(statement, PreparedStatement.class);
          }
          if (result instanceof Statement statement) {
            return counted(statement, Statement.class);
          }
          return result;
        });
  }

  private <T> T counted(T statement, Class<T> type) {
    InvocationHandler handler = (proxy, method, arguments) -> {
      if (EXECUTIONS.contains(method.getName())) {
        sent.incrementAndGet();
      }
      return invoke(statement, method, arguments);
    };
    return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] arguments) throws Throwable {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getGlobal();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
