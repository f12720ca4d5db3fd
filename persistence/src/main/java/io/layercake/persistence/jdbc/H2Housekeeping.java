package io.layercake.persistence.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file from growing without bound.
 *
 * <p>Every write of H2's commits to its file appends a chunk of copy-on-write pages; a chunk stays in
 * the file while any of its pages is live. H2 rewrites sparse chunks and frees dead ones in its
 * background writer, which wakes every third of {@code WRITE_DELAY}: never with {@code WRITE_DELAY=0},
 * under which the file grew by ~70 KB per message, and every eight hours with the node's delay of a day
 * (the node writes commits itself, {@link H2GroupCommit}). Each tick here forces the file to disk, then runs one
 * tick of H2's background writer ({@code FileStore.writeInBackground}: H2's own housekeeping, which
 * rewrites the live pages of sparse chunks) and writes what it rewrote. A commit waits while a tick holds the store's lock to rewrite, as it would
 * behind H2's own writer.
 *
 * <p>H2 reuses a free chunk's space only once the chunk is older than its retention time, 45 s by
 * default: long enough for the operating system to have written a newer chunk out on its own. Here
 * the file is forced to disk every second, so the retention is {@link #RETENTION}; with 45 s the
 * file under steady load held 45 s of writes (~1.5 GB at 500 messages/s).
 *
 * <p>H2 closes a database when its last connection closes and opens a new store for the next; the
 * tick finds that out and configures the new one. The tick is package-private in H2, so it is
 * reached by reflection; {@link #attach} finds out (and the node logs it) if an H2 upgrade renames it.
 */
public final class H2Housekeeping {
  /**
   * How often a tick runs. H2's own writer wakes every 166 ms at H2's default delay; H2 limits what one tick rewrites, and
   * in the benchmark a tick per second kept the file about as small as six did (docs/benchmark.md).
   */
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  /** How old a chunk is before its space may be written over: a few ticks, each of which forced the file to disk. */
  static final Duration RETENTION = INTERVAL.multipliedBy(5);

  private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);
  private static final String FILE_URL_PREFIX = "jdbc:h2:file:";
  private static final String TICK = "writeInBackground";

  private final String url;
  private final DataSource dataSource;
  private final Method tick;
  private final Duration retention;
  /** The store configured last; H2 opens another when it closed the database in between. Ticks run one at a time. */
  private volatile MVStore configured;

  private H2Housekeeping(String url, DataSource dataSource, Method tick, Duration retention) {
    this.url = url;
    this.dataSource = dataSource;
    this.tick = tick;
    this.retention = retention;
  }

  /** The housekeeping of the H2 file behind {@code dataSource}; empty for other databases. */
  public static Optional<H2Housekeeping> attach(String url, DataSource dataSource) {
    return attach(url, dataSource, RETENTION);
  }

  static Optional<H2Housekeeping> attach(String url, DataSource dataSource, Duration retention) {
    if (!url.startsWith(FILE_URL_PREFIX)) {
      return Optional.empty();
    }
    try {
      Method tick = FileStore.class.getDeclaredMethod(TICK);
      tick.setAccessible(true);
      H2Housekeeping housekeeping = new H2Housekeeping(url, dataSource, tick, retention);
      housekeeping.store();
      return Optional.of(housekeeping);
    } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
      log.warn("No housekeeping for the H2 file {}: it will grow while the node runs ({})", file(url), e.toString());
      return Optional.empty();
    }
  }

  /** The URL's file, without its settings (a URL of the operator's own may carry a password). */
  private static String file(String url) {
    int settings = url.indexOf(';');
    return settings < 0 ? url : url.substring(0, settings);
  }

  /**
   * The file's store, with its retention set. Once the store configured last is closed, the one H2
   * opened since is looked up through the pool.
   */
  private MVStore store() throws SQLException {
    MVStore current = configured;
    if (current != null && !current.isClosed()) {
      return current;
    }
    MVStore reopened = H2GroupCommit.storeOf(dataSource);
    reopened.setRetentionTime(Math.toIntExact(retention.toMillis()));
    if (current != null) {
      log.info("H2 reopened the file {}: its housekeeping applies again", file(url));
    }
    configured = reopened;
    return reopened;
  }

  /**
   * One tick: forces the file to disk, stores unsaved pages, rewrites sparse chunks, frees dead
   * ones, moves chunks to shrink the file.
   */
  public void tick() {
    try {
      MVStore store = store();
      FileStore<?> fileStore = store.getFileStore();
      if (fileStore == null || store.isClosed()) {
        return;
      }
      store.sync();
      tick.invoke(fileStore);
      // what the tick rewrote is in memory until the next write: under a long write delay, that is this one
      store.commit();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("H2's housekeeping is not accessible", e);
    } catch (InvocationTargetException e) {
      log.warn("H2 housekeeping failed: {}", e.getCause().toString());
    } catch (SQLException | RuntimeException e) {
      // closed under us at shutdown, or the disk refused the sync: the next tick tries again
      log.warn("H2 housekeeping failed: {}", e.toString());
    }
  }
}
