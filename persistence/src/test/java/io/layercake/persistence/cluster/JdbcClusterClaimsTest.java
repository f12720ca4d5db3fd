package io.layercake.persistence.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Of several nodes claiming the same work at once, exactly one gets it, on H2 and PostgreSQL. */
@ExtendWith(FreshDatabases.Extension.class)
class JdbcClusterClaimsTest {

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void exactlyOneOfConcurrentClaimantsWins(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      JdbcClusterClaims claims = new JdbcClusterClaims(ApplicationDatabase.start(testKit.system(), settings.database()), Clock.systemUTC());

      List<CompletableFuture<Boolean>> attempts = IntStream.range(0, 8)
          .mapToObj(node -> claims.claim("demo-seed", "node-" + node).toCompletableFuture())
          .toList();

      assertThat(attempts.stream().map(CompletableFuture::join)).containsOnlyOnce(true).hasSize(8);
      assertThat(claims.claim("demo-seed", "node-9").toCompletableFuture().join()).as("claimed for good").isFalse();
      assertThat(claims.claim("another-task", "node-9").toCompletableFuture().join()).isTrue();
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
