package io.layercake.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2FileServerTest {
  @TempDir Path directory;

  @Test
  void aSecondProcessReadsTheFileThroughTheNodeThatHoldsIt() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory, 2);
    try (Connection holder = DriverManager.getConnection(database.url(), database.user(), database.password().reveal());
        Statement statement = holder.createStatement()) {
      statement.execute("create table greetings (text varchar(20))");
      statement.execute("insert into greetings values ('hello')");
      Optional<H2FileServer> server = H2FileServer.start(database);
      assertThat(server).isPresent();
      try {
        DatabaseSettings beside = H2FileServer.reachable(database);
        assertThat(beside.url()).as("the same settings, through the node")
            .startsWith("jdbc:h2:tcp://127.0.0.1:").endsWith(database.url().substring(database.url().indexOf(';')));
        try (Connection reader = DriverManager.getConnection(beside.url(), beside.user(), beside.password().reveal());
            ResultSet rows = reader.createStatement().executeQuery("select text from greetings")) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo("hello");
        }
      } finally {
        server.get().close();
      }
      assertThat(directory.resolve("layercake.server")).doesNotExist();
      assertThat(H2FileServer.reachable(database)).as("no node serves it: the file itself").isEqualTo(database);
    }
  }

  @Test
  void aPortFileLeftByACrashedNodeIsIgnored() throws Exception {
    DatabaseSettings database = DatabaseSettings.h2File(directory, 2);
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Files.writeString(directory.resolve("layercake.server"), Integer.toString(closedPort));
    assertThat(H2FileServer.reachable(database)).isEqualTo(database);
  }

  @Test
  void otherDatabasesAreNotServed() {
    DatabaseSettings postgres = DatabaseSettings.postgres("jdbc:postgresql://127.0.0.1:5432/x", "u", "p", 2);
    assertThat(H2FileServer.start(postgres)).isEmpty();
    assertThat(H2FileServer.reachable(postgres)).isSameAs(postgres);
  }
}
