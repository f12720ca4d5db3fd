package io.layercake.persistence.testing;

import io.layercake.config.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL server for the whole test run (started on first use, stopped when the run
 * ends), and a fresh database in it for every test that asks.
 */
public final class EmbeddedPostgresServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  private static final AtomicInteger databases = new AtomicInteger();

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** The server of this test run, started if it is not yet running. */
  public static EmbeddedPostgresServer of(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(EmbeddedPostgresServer.class, key -> start(), EmbeddedPostgresServer.class);
  }

  /** A server of its own, outside JUnit (benchmarks); the caller closes it. */
  public static EmbeddedPostgresServer start() {
    try {
      return new EmbeddedPostgresServer(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  /** A new, empty database on the shared server. */
  public DatabaseSettings freshDatabase() {
    String name = "layercake_test_" + databases.incrementAndGet();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return DatabaseSettings.postgres(postgres.getJdbcUrl("postgres", name), "postgres", "postgres", 4);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
