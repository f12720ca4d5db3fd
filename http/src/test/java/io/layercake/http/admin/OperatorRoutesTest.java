package io.layercake.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.session.SessionKey;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators' views on a real node (H2): persistence ids, journals, live entity state, a conversation's timeline, the cluster. */
class OperatorRoutesTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static String sessionId;

  @BeforeAll
  static void start(@TempDir Path dir) {
    node = LayercakeNode.start(TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100).withAdmin(new AdminSettings(Secret.of(TOKEN))));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    operator.post("/admin/organizations", "{\"id\":\"ops\",\"name\":\"Ops\",\"tier\":\"pro\"}");
    operator.post("/admin/organizations/ops/purchases", "{\"idempotencyKey\":\"cs_ops\",\"credits\":10}");
    operator.post("/admin/agents", """
        {"agentId": "ops-bot", "orgId": "ops", "name": "Ops bot", "doubleTexting": "queue",
         "faq": [{"question": "When are you open?", "answer": "Nine to five."}]}
        """);
    operator.post("/admin/conversations/inbound", "{\"orgId\":\"ops\",\"agentId\":\"ops-bot\",\"channel\":\"test\",\"contact\":\"c1\","
        + "\"messageId\":\"m-1\",\"text\":\"When are you open?\"}");
    sessionId = new SessionKey("ops-bot", "test", "c1").sessionId();
    // The reply is sent while the turn settles its credits: wait for both, so every test sees the whole turn.
    TestProbe.create(node.system()).awaitAssert(Duration.ofSeconds(20), () -> {
      assertThat(operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0).path("status").asText()).isEqualTo("sent");
      assertThat(operator.get("/admin/conversations/" + sessionId + "/timeline").json().path("steps").findValuesAsText("type"))
          .contains("TurnSettled", "DeliveryUpdated");
      assertThat(HttpTestClient.to(node.address()).get("/metrics").body())
          .contains("layercake_turns_total{outcome=\"answered\"} 1.0", "layercake_credits_committed_total 1.0");
      return null;
    });
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void journalsShowEveryEventWithItsTypePayloadAndTags() {
    assertThat(operator.get("/admin/persistence-ids?type=Session").json().path("persistenceIds").get(0).asText())
        .isEqualTo("Session|" + sessionId);
    assertThat(operator.get("/admin/persistence-ids?type=Org").json().path("persistenceIds").toString()).contains("Org|ops");

    JsonNode events = operator.get("/admin/journal/Org%7Cops").json().path("events");
    assertThat(events.path(0).path("type").asText()).isEqualTo("Opened");
    assertThat(events.path(0).path("sequenceNumber").asLong()).isEqualTo(1);
    assertThat(events.path(0).path("tags").toString()).contains("org-profiles");
    assertThat(events.path(0).path("payload").path("name").asText()).isEqualTo("Ops");
    assertThat(operator.get("/admin/journal/Org%7Cnobody").status()).isEqualTo(404);
    assertThat(operator.get("/admin/persistence-ids?type=Nope").status()).isEqualTo(400);
  }

  @Test
  void theTimelineTellsTheConversationStepByStep() {
    JsonNode steps = operator.get("/admin/conversations/" + sessionId + "/timeline").json().path("steps");

    assertThat(steps.findValuesAsText("type")).containsSubsequence(
        "ConversationStarted", "MessageReceived", "TurnStarted", "AgentReplied", "TurnSettled");
    assertThat(steps.findValuesAsText("type")).containsSubsequence("AgentReplied", "DeliveryUpdated");
    JsonNode reply = steps.findParents("type").stream().filter(step -> step.path("type").asText().equals("AgentReplied")).findFirst().orElseThrow();
    assertThat(reply.path("summary").asText()).contains("Nine to five.");
    assertThat(reply.path("details").path("provider").asText()).isEqualTo("local");
    assertThat(reply.path("after").path("turnStage").asText()).isEqualTo("settling");
    assertThat(steps.get(steps.size() - 1).path("after").path("creditsUsed").asLong()).isEqualTo(1);
    assertThat(operator.get("/admin/conversations/s-unknown/timeline").status()).isEqualTo(404);
  }

  @Test
  void metricsMoveAfterAConversationAndParseAsPrometheusText() {
    String metrics = HttpTestClient.to(node.address()).get("/metrics").body();

    assertThat(metrics).contains("layercake_inbound_messages_total{channel=\"test\"} 1.0");
    assertThat(metrics).contains("layercake_turns_total{outcome=\"answered\"} 1.0");
    assertThat(metrics).contains("layercake_credits_committed_total 1.0");
    assertThat(metrics).as("the estimate held for the turn").containsPattern("layercake_credits_reserved_total [1-9]");
    assertThat(metrics).contains("layercake_outbound_deliveries_total{channel=\"test\",result=\"accepted\"}");
    assertThat(metrics).containsPattern("layercake_model_latency_seconds_count\\{outcome=\"ok\",provider=\"local\"} 1");
    assertThat(metrics).containsPattern("layercake_turn_latency_seconds_count 1");
    assertThat(metrics).contains("layercake_channel_send_seconds_count{channel=\"test\",outcome=\"accepted\"} 1");
    assertThat(metrics).contains("layercake_turn_latency_seconds_bucket{le=\"30.0\"} 1");
    assertThat(metrics).as("the tenant-fair pools, idle again").contains("layercake_bulkhead_running{pool=\"model\"} 0.0",
        "layercake_bulkhead_waiting{pool=\"provider\"} 0.0", "layercake_bulkhead_tenants_waiting{pool=\"model\"} 0.0");
    assertThat(metrics).contains("layercake_http_server_requests_seconds_count{method=\"POST\",route=\"/admin/**\",status=\"202\"}");
    TestProbe.create(node.system()).awaitAssert(Duration.ofSeconds(20), () -> {
      assertThat(HttpTestClient.to(node.address()).get("/metrics").body())
          .as("entities in memory on this node, by type").containsPattern("layercake_entities_live\\{type=\"Session\"} [1-9]")
          .containsPattern("layercake_entities_live\\{type=\"Org\"} [1-9]")
          .containsPattern("layercake_entities_live\\{type=\"Agent\"} [1-9]");
      return null;
    });
    java.util.regex.Pattern sample = java.util.regex.Pattern.compile(
        "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_]+=\"[^\"]*\",?)*})? (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[+-]Inf)");
    for (String line : metrics.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        assertThat(sample.matcher(line).matches()).as(line).isTrue();
      }
    }
  }

  @Test
  void liveStateComesFromTheEntityAndTheClusterShowsItsMembers() {
    assertThat(operator.get("/admin/entities/Org/ops/state").json().path("state").path("balance").path("balance")
        .path("available").asLong()).isEqualTo(9);
    assertThat(operator.get("/admin/entities/Session/" + sessionId + "/state").json().path("state").path("view").path("owner").asText())
        .isEqualTo("agent");
    assertThat(operator.get("/admin/entities/Thing/x/state").status()).isEqualTo(400);
    assertThat(operator.get("/admin/entities/Org/nobody/state").status()).isEqualTo(404);
    assertThat(operator.get("/admin/entities/Agent/nobody/state").status()).isEqualTo(404);

    JsonNode cluster = operator.get("/admin/cluster").json();
    assertThat(cluster.path("members").path(0).path("status").asText()).isEqualTo("Up");
    assertThat(cluster.path("sharding").path("Session").toString()).contains("entities");
  }
}
