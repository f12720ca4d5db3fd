package io.layercake.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A whole node on each database: ready, serving entities, stopping gracefully and recovering on restart. */
@ExtendWith(FreshDatabases.Extension.class)
class LayercakeNodeTest {
  private static final String TOKEN = "operator-token-for-tests";

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void servesRecoversAndStops(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN)));

    LayercakeNode first = LayercakeNode.start(settings);
    HttpTestClient client = HttpTestClient.to(first.address()).withBearer(TOKEN);
    awaitReady(first, client);
    assertThat(client.post("/admin/organizations", "{\"id\":\"acme\",\"name\":\"Acme Plumbing\",\"tier\":\"pro\"}").status())
        .isEqualTo(201);
    assertThat(client.post("/admin/organizations/acme/grants", "{\"periodKey\":\"2026-11\",\"bucket\":\"monthly\",\"amount\":200}").status())
        .isEqualTo(200);
    first.stop().toCompletableFuture().join();
    assertThat(first.system().whenTerminated().isCompleted()).isTrue();

    LayercakeNode second = LayercakeNode.start(settings);
    try {
      HttpTestClient restarted = HttpTestClient.to(second.address()).withBearer(TOKEN);
      awaitReady(second, restarted);
      assertThat(restarted.get("/admin/organizations/acme").json().path("name").asText()).isEqualTo("Acme Plumbing");
      JsonNode balance = restarted.get("/admin/organizations/acme/balance").json();
      assertThat(balance.path("buckets").path("monthly").asLong()).isEqualTo(200);
    } finally {
      second.stop().toCompletableFuture().join();
    }
  }

  private static void awaitReady(LayercakeNode node, HttpTestClient client) {
    ActorTestKit.create(node.system()).createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
      Response ready = client.get("/health/ready");
      assertThat(ready.status()).as(ready.body()).isEqualTo(200);
      assertThat(ready.json().path("checks").fieldNames()).toIterable().containsExactly("schema", "journal", "cluster");
      return null;
    });
  }
}
