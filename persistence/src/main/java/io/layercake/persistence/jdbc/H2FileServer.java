package io.layercake.persistence.jdbc;

import io.layercake.config.DatabaseDialect;
import io.layercake.config.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.h2.engine.SysProperties;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the operator command line read an embedded H2 file database while a node holds it. H2 locks
 * the file for one process; the node serves it on a loopback TCP port and writes that port next to
 * the file ({@code <file>.server}), so a second process connects through the node instead.
 *
 * <p>H2's own AUTO_SERVER does the same but requires closing the database in a JVM shutdown hook,
 * which races the node's graceful shutdown; this keeps {@code DB_CLOSE_ON_EXIT=FALSE}.
 */
public final class H2FileServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(H2FileServer.class);
  private static final String FILE_PREFIX = "jdbc:h2:file:";
  private static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final Server server;
  private final Path portFile;

  private H2FileServer(Server server, Path portFile) {
    this.server = server;
    this.portFile = portFile;
  }

  /**
   * Keeps every TCP socket H2 opens on loopback. Must run before H2 is first used in the JVM: H2
   * reads the property once.
   */
  public static void keepOnLoopback() {
    if (System.getProperty(BIND_ADDRESS_PROPERTY) == null) {
      System.setProperty(BIND_ADDRESS_PROPERTY, InetAddress.getLoopbackAddress().getHostAddress());
    }
  }

  /** Serves {@code database} when it is an H2 file; nothing for other databases. */
  public static Optional<H2FileServer> start(DatabaseSettings database) {
    Optional<Path> file = databaseFile(database);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    if (!bindsToLoopback()) {
      log.warn("H2 binds to {} rather than loopback (set -D{}=127.0.0.1): the command line cannot read the "
          + "database while this node runs", SysProperties.BIND_ADDRESS, BIND_ADDRESS_PROPERTY);
      return Optional.empty();
    }
    try {
      Server server = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon", "-ifExists").start();
      Path portFile = portFile(file.get());
      Files.writeString(portFile, Integer.toString(server.getPort()), StandardCharsets.US_ASCII);
      log.info("Command-line access to {} on 127.0.0.1:{}", file.get(), server.getPort());
      return Optional.of(new H2FileServer(server, portFile));
    } catch (SQLException | IOException e) {
      log.warn("The command line cannot read the database while this node runs: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The settings a second process uses: a node's TCP address when one serves this H2 file and
   * answers, the settings as given otherwise.
   */
  public static DatabaseSettings reachable(DatabaseSettings database) {
    Optional<Path> file = databaseFile(database);
    if (file.isEmpty()) {
      return database;
    }
    Optional<Integer> port = servedPort(portFile(file.get()));
    if (port.isEmpty()) {
      return database;
    }
    String url = "jdbc:h2:tcp://127.0.0.1:" + port.get() + "/" + file.get().toAbsolutePath() + flags(database);
    return new DatabaseSettings(database.dialect(), url, database.user(), database.password(), database.poolSize(),
        database.appPoolSize());
  }

  @Override
  public void close() {
    server.stop();
    try {
      Files.deleteIfExists(portFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Optional<Path> databaseFile(DatabaseSettings database) {
    if (database.dialect() != DatabaseDialect.H2 || !database.url().startsWith(FILE_PREFIX)) {
      return Optional.empty();
    }
    String path = database.url().substring(FILE_PREFIX.length(), database.url().length() - flags(database).length());
    return Optional.of(Path.of(path));
  }

  /** The settings part of a URL: from the first {@code ;} on. */
  private static String flags(DatabaseSettings database) {
    int start = database.url().indexOf(';');
    return start < 0 ? "" : database.url().substring(start);
  }

  private static Path portFile(Path databaseFile) {
    return databaseFile.resolveSibling(databaseFile.getFileName() + ".server");
  }

  /** The port in a port file whose node still answers; a file left by a crashed node is ignored. */
  private static Optional<Integer> servedPort(Path portFile) {
    int port;
    try {
      port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) PROBE_TIMEOUT.toMillis());
      return Optional.of(port);
    } catch (IOException e) {
      log.debug("No node serves the database on port {} any more: {}", port, e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean bindsToLoopback() {
    if (SysProperties.BIND_ADDRESS == null) {
      return false;
    }
    try {
      return InetAddress.getByName(SysProperties.BIND_ADDRESS).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
