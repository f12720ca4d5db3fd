package io.layercake.config;

import java.nio.file.Path;

/** The database holding the journal, snapshots, projection offsets and the application's tables. */
public record DatabaseSettings(
    DatabaseDialect dialect, String url, String user, Secret password, int poolSize, int appPoolSize) {

  /**
   * H2 needs lowercase identifiers kept as written: the journal plugins use unquoted lowercase names.
   * {@code WRITE_DELAY} (a day) lets a commit return before it is in the file: the node writes commits
   * to the file in groups (persistence's {@code H2GroupCommit}), and whatever acknowledges a write
   * waits for its group, so an acknowledged message survives a killed process. H2's own writer, which
   * the delay paces, then wakes every eight hours; the node's housekeeping does its work. H2 does not
   * fsync, so a power loss can still take the last commits.
   */
  static final String H2_FLAGS = ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256;WRITE_DELAY=86400000";

  /** The embedded default: an H2 file database in the data directory. */
  public static String h2FileUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("layercake") + H2_FLAGS;
  }

  public static DatabaseSettings h2File(Path dataDir, int poolSize) {
    return new DatabaseSettings(DatabaseDialect.H2, h2FileUrl(dataDir), "layercake", Secret.of(""), poolSize, poolSize);
  }

  public static DatabaseSettings postgres(String url, String user, String password, int poolSize) {
    return new DatabaseSettings(DatabaseDialect.POSTGRES, url, user, Secret.of(password), poolSize, poolSize);
  }
}
