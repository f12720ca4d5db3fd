package io.layercake.persistence.jdbc;

import io.layercake.runtime.durability.Durability;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for an embedded H2 file: commits return at once, and one thread writes what was
 * committed to the file, for everyone who waits, as soon as someone waits.
 *
 * <p>H2 writes a commit by appending a chunk of copy-on-write pages: every page on the path from
 * each changed row to its table's root, and the file's own layout. With {@code WRITE_DELAY=0} (one
 * chunk per commit) that was 67–75 KB per message; grouped, 27 KB. Here the node
 * runs H2 with a long write delay, so a commit only changes pages in memory, and {@link
 * #ofCommitsSoFar} completes once a chunk written after the call is in the file: the first waiter
 * starts a write at once, and those who arrive while it runs share the next one. Writes nobody waits
 * for reach the file within {@link #PERIOD}.
 */
public final class H2GroupCommit implements Durability, AutoCloseable {
  /** How long a commit nobody waited for may stay in memory only. */
  public static final Duration PERIOD = Duration.ofMillis(20);

  private static final Logger log = LoggerFactory.getLogger(H2GroupCommit.class);
  private static final String FILE_URL_PREFIX = "jdbc:h2:file:";

  private final DataSource dataSource;
  private final Executor executor;
  private final long periodMillis;
  private final Thread writer;
  private final Object monitor = new Object();
  /** Guarded by {@link #monitor}: who waits for the next write. */
  private List<CompletableFuture<Done>> waiting = new ArrayList<>();
  /** Guarded by {@link #monitor}. */
  private boolean closed;
  /** The store written last; H2 opens another when it closed the database in between. Only the writer thread uses it. */
  private MVStore store;

  private H2GroupCommit(DataSource dataSource, Executor executor, Duration period) {
    this.dataSource = dataSource;
    this.executor = executor;
    this.periodMillis = period.toMillis();
    this.writer = new Thread(this::run, "layercake-h2-group-commit");
    this.writer.setDaemon(true);
  }

  /**
   * Group commit for the H2 file behind {@code dataSource}; empty for other databases (their commits
   * are durable when they return). Waiters are completed on {@code executor}. Should the store not be
   * reachable, the database is set to write each commit before it returns, as without group commit.
   */
  public static Optional<H2GroupCommit> attach(String url, DataSource dataSource, Executor executor) {
    return attach(url, dataSource, executor, PERIOD);
  }

  static Optional<H2GroupCommit> attach(String url, DataSource dataSource, Executor executor, Duration period) {
    if (!url.startsWith(FILE_URL_PREFIX)) {
      return Optional.empty();
    }
    H2GroupCommit groupCommit = new H2GroupCommit(dataSource, executor, period);
    try {
      groupCommit.store = storeOf(dataSource);
    } catch (SQLException | RuntimeException e) {
      log.warn("No group commit for the H2 file: each commit is written before it returns ({})", e.toString());
      writeEachCommit(dataSource);
      return Optional.empty();
    }
    groupCommit.writer.start();
    return Optional.of(groupCommit);
  }

  @Override
  public CompletionStage<Done> ofCommitsSoFar() {
    CompletableFuture<Done> durable = new CompletableFuture<>();
    synchronized (monitor) {
      if (closed) {
        // closing the pool closes the database, and H2 writes everything when it closes
        durable.complete(Done.getInstance());
        return durable;
      }
      waiting.add(durable);
      monitor.notifyAll();
    }
    return durable;
  }

  /** Writes what is left, completes whoever waits, and stops the writer. */
  @Override
  public void close() {
    synchronized (monitor) {
      closed = true;
      monitor.notifyAll();
    }
    try {
      writer.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    boolean stopping = false;
    while (!stopping) {
      List<CompletableFuture<Done>> group;
      synchronized (monitor) {
        if (waiting.isEmpty() && !closed) {
          try {
            monitor.wait(periodMillis);
          } catch (InterruptedException e) {
            closed = true;
          }
        }
        stopping = closed;
        group = waiting;
        waiting = new ArrayList<>();
      }
      Throwable failure = write();
      if (!group.isEmpty()) {
        executor.execute(() -> complete(group, failure));
      }
    }
  }

  /** Writes every commit so far to the file; the failure, or null. */
  private Throwable write() {
    try {
      MVStore current = currentStore();
      if (!current.isClosed()) {
        current.commit();
      }
      return null;
    } catch (SQLException | RuntimeException e) {
      log.warn("H2 could not write its commits to the file: {}", e.toString());
      return e;
    }
  }

  private MVStore currentStore() throws SQLException {
    if (store == null || store.isClosed()) {
      store = storeOf(dataSource);
    }
    return store;
  }

  private static void complete(List<CompletableFuture<Done>> group, Throwable failure) {
    for (CompletableFuture<Done> durable : group) {
      if (failure == null) {
        durable.complete(Done.getInstance());
      } else {
        durable.completeExceptionally(failure);
      }
    }
  }

  /** The store of the embedded database behind {@code dataSource}. */
  static MVStore storeOf(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
      return session.getDatabase().getStore().getMvStore();
    }
  }

  private static void writeEachCommit(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SET WRITE_DELAY 0");
    } catch (SQLException e) {
      throw new IllegalStateException("H2 refused to write each commit before it returns", e);
    }
  }
}
