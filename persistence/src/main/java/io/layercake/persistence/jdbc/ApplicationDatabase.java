package io.layercake.persistence.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.layercake.config.DatabaseSettings;
import io.layercake.runtime.durability.Durability;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The connection pool for the application's own tables (read models, repositories), apart from
 * the journal's. Blocking JDBC runs on its own dispatcher and comes back as a CompletionStage.
 */
public final class ApplicationDatabase {
  public static final String DISPATCHER = "layercake-jdbc-dispatcher";

  private final HikariDataSource dataSource;
  private final Executor executor;
  private final Durability durability;

  private ApplicationDatabase(HikariDataSource dataSource, Executor executor, Durability durability) {
    this.dataSource = dataSource;
    this.executor = executor;
    this.durability = durability;
  }

  /** Opens the pool and closes it when the actor system shuts down. */
  public static ApplicationDatabase start(ActorSystem<?> system, DatabaseSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password().reveal());
    config.setDriverClassName(settings.dialect().driverClassName());
    config.setMaximumPoolSize(settings.appPoolSize());
    config.setMinimumIdle(1);
    config.setPoolName("layercake-app");
    config.setAutoCommit(false);
    HikariDataSource dataSource = new HikariDataSource(config);
    ExecutionContextExecutor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER));
    Optional<H2GroupCommit> groupCommit = H2GroupCommit.attach(settings.url(), dataSource, system.executionContext());
    ApplicationDatabase database = new ApplicationDatabase(dataSource, blocking,
        groupCommit.<Durability>map(h2 -> h2).orElse(Durability.AT_COMMIT));
    Optional<Cancellable> housekeeping = H2Housekeeping.attach(settings.url(), dataSource)
        .map(h2 -> system.scheduler().scheduleWithFixedDelay(
            H2Housekeeping.INTERVAL, H2Housekeeping.INTERVAL, h2::tick, blocking));
    CoordinatedShutdown.get(system).addTask(
        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-application-database", () -> {
          housekeeping.ifPresent(Cancellable::cancel);
          groupCommit.ifPresent(H2GroupCommit::close);
          dataSource.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    return database;
  }

  /** When commits so far survive a killed process: what acknowledgements and sends wait for. */
  public Durability durability() {
    return durability;
  }

  /** Reports the pool (connections active, idle, pending; acquire and usage times) as {@code hikaricp_*} metrics. */
  public void reportTo(io.micrometer.core.instrument.MeterRegistry registry) {
    dataSource.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
  }

  /** A session for a projection: one connection, one transaction, committed by the projection. */
  public PooledJdbcSession newSession() {
    return new PooledJdbcSession(dataSource);
  }

  /** Runs read-only JDBC work off the actor threads. */
  public <T> CompletionStage<T> read(Work<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection connection = dataSource.getConnection()) {
        connection.setReadOnly(true);
        try {
          return work.apply(connection);
        } finally {
          connection.rollback();
          connection.setReadOnly(false);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("database read failed: " + e.getMessage(), e);
      }
    }, executor);
  }

  /** Runs JDBC work in one transaction off the actor threads: committed when it returns, rolled back when it throws. */
  public <T> CompletionStage<T> write(Work<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection connection = dataSource.getConnection()) {
        try {
          T result = work.apply(connection);
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("database write failed: " + e.getMessage(), e);
      }
    }, executor);
  }

  /** The dispatcher for blocking work (JDBC, text extraction). */
  public Executor blockingExecutor() {
    return executor;
  }

  /** JDBC work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }
}
