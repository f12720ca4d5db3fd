package io.layercake.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.health.ReadinessCheck.CheckResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(FreshDatabases.Extension.class)
class JournalReachableCheckTest {

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void passesWhenTheJournalAnswers(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    ActorTestKit testKit = ActorTestKit.create(TestNodes.migratedPekkoConfig(settings));
    try {
      CheckResult result = new JournalReachableCheck(testKit.system(), Duration.ofSeconds(5)).check().toCompletableFuture().join();

      assertThat(result).isEqualTo(CheckResult.ok("reachable"));
    } finally {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void failsWhenNoDatabaseListens(@TempDir Path dir) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DatabaseSettings nowhere = DatabaseSettings.postgres("jdbc:postgresql://127.0.0.1:" + closedPort + "/none", "u", "p", 1);
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(TestNodes.settings(dir, nowhere, 100)));
    try {
      CheckResult result = new JournalReachableCheck(testKit.system(), Duration.ofSeconds(5)).check().toCompletableFuture().join();

      assertThat(result.ok()).isFalse();
      assertThat(result.detail()).startsWith("unreachable:");
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
