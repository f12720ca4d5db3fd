package io.layercake.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.session.SessionKey;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations through the operator API on a real node (H2) with the offline model: a message in, a paid reply out. */
class ConversationAdminRoutesTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static LayercakeNode node;
  private static HttpTestClient operator;

  private static final String AGENT = """
      {"agentId": "%s", "orgId": "%s", "name": "Piet's assistant",
       "faq": [{"question": "When are you open?", "answer": "Monday to Friday, 8 to 17."}],
       "doubleTexting": "queue", "model": {"provider": "local", "model": "local", "temperature": 0}}
      """;

  @BeforeAll
  static void start(@TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN)));
    node = LayercakeNode.start(settings);
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    for (String org : new String[] {"piet", "salon"}) {
      operator.post("/admin/organizations", "{\"id\":\"" + org + "\",\"name\":\"" + org + "\",\"tier\":\"pro\"}");
      operator.post("/admin/organizations/" + org + "/purchases", "{\"idempotencyKey\":\"cs_" + org + "\",\"credits\":10}");
      operator.post("/admin/agents", AGENT.formatted(org + "-bot", org));
    }
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void aTestMessageIsAnsweredChargedAndListed() {
    String inbound = "{\"orgId\":\"piet\",\"agentId\":\"piet-bot\",\"channel\":\"test\",\"contact\":\"ops-1\",\"messageId\":\"m-1\","
        + "\"text\":\"When are you open?\"}";
    Response accepted = operator.post("/admin/conversations/inbound", inbound);
    Response duplicate = operator.post("/admin/conversations/inbound", inbound);
    String sessionId = new SessionKey("piet-bot", "test", "ops-1").sessionId();

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().path("sessionId").asText()).isEqualTo(sessionId);
    assertThat(duplicate.json().path("duplicate").asBoolean()).isTrue();
    eventually(() -> {
      JsonNode view = operator.get("/admin/conversations/" + sessionId).json();
      assertThat(view.path("outbox").path(0).path("text").asText()).contains("Monday to Friday");
      assertThat(view.path("outbox").path(0).path("status").asText()).isEqualTo("sent");
      assertThat(view.path("creditsUsed").asLong()).isEqualTo(1);
      JsonNode messages = operator.get("/admin/conversations/" + sessionId + "/messages").json().path("messages");
      assertThat(messages).hasSize(2);
      assertThat(operator.get("/admin/organizations/piet/conversations").json().path("conversations").path(0)
          .path("sessionId").asText()).isEqualTo(sessionId);
    });
    assertThat(operator.get("/admin/organizations/salon/conversations").json().path("conversations").findValuesAsText("sessionId"))
        .as("another organization's list").doesNotContain(sessionId);
  }

  @Test
  void peopleTakeOverAndHandBack() {
    operator.post("/admin/conversations/inbound", "{\"orgId\":\"salon\",\"agentId\":\"salon-bot\",\"channel\":\"webchat\","
        + "\"contact\":\"visitor-7\",\"messageId\":\"w-1\",\"text\":\"Hi\"}");
    String sessionId = new SessionKey("salon-bot", "webchat", "visitor-7").sessionId();

    Response human = operator.post("/admin/conversations/" + sessionId + "/messages", "{\"author\":\"sara\",\"text\":\"Sara here!\"}");
    assertThat(human.status()).as(human.body()).isEqualTo(202);
    assertThat(operator.get("/admin/conversations/" + sessionId).json().path("owner").asText()).isEqualTo("sara");
    Response back = operator.send("PATCH", "/admin/conversations/" + sessionId, "{\"action\":\"hand_back\",\"by\":\"sara\"}");
    assertThat(back.status()).isEqualTo(200);
    assertThat(operator.get("/admin/conversations/" + sessionId).json().path("status").asText()).isEqualTo("active");
    Response closed = operator.send("PATCH", "/admin/conversations/" + sessionId, "{\"action\":\"close\",\"by\":\"sara\"}");
    assertThat(closed.status()).isEqualTo(200);
    assertThat(operator.post("/admin/conversations/" + sessionId + "/messages", "{\"author\":\"sara\",\"text\":\"more\"}").status())
        .isEqualTo(409);
  }

  @Test
  void badInputIsAClearJsonError() {
    assertThat(operator.post("/admin/conversations/inbound", "{\"orgId\":\"salon\",\"agentId\":\"piet-bot\",\"channel\":\"test\","
        + "\"contact\":\"x\",\"messageId\":\"m\",\"text\":\"hi\"}").errorCode()).as("another org's agent").isEqualTo("agent_not_found");
    assertThat(operator.post("/admin/conversations/inbound", "{\"orgId\":\"piet\",\"agentId\":\"piet-bot\",\"channel\":\"test\","
        + "\"contact\":\"x\",\"messageId\":\"m\",\"text\":\"\"}").status()).isEqualTo(400);
    assertThat(operator.post("/admin/conversations/inbound", "{not json").status()).isEqualTo(400);
    assertThat(operator.get("/admin/conversations/s-unknown").status()).isEqualTo(404);
    assertThat(operator.send("PATCH", "/admin/conversations/s-unknown", "{\"action\":\"explode\"}").errorCode())
        .isEqualTo("invalid_request");
    assertThat(operator.post("/admin/conversations/s-unknown/approvals/a-1", "{\"decision\":\"approve\",\"decidedBy\":\"sara\"}")
        .status()).isEqualTo(404);
    assertThat(operator.get("/admin/organizations/piet/conversations?status=sleeping").status()).isEqualTo(400);
    assertThat(HttpTestClient.to(node.address()).get("/admin/organizations/piet/conversations").status()).isEqualTo(401);
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }
}
