package io.layercake.http.replays;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays end to end with the local model, so the diffs are exact: two recorded conversations (an
 * FAQ answer kept, one changed, an unknown question now answered, a hand-off gone), re-run against a
 * candidate with another FAQ and no hand-off tool; nothing sent, nothing charged; the budget, the
 * filter, the Idempotency-Key, bad input and another organization's view.
 */
class ReplayApiTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CANDIDATE = """
      {"faq": [{"question": "When are you open?", "answer": "Monday to Friday, 8 to 17."},
               {"question": "Do you work weekends?", "answer": "Saturdays 9 to 13."},
               {"question": "Do you fix boilers?", "answer": "Yes, we service and repair all boiler brands."}],
       "tools": []}""";

  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient pietKey;
  private static HttpTestClient otherKey;
  private static HttpTestClient agentsOnlyKey;
  private static String opening;
  private static String boiler;

  @BeforeAll
  static void start(@TempDir Path dir) {
    node = LayercakeNode.start(TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN))));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    HttpTestClient anonymous = HttpTestClient.to(node.address());
    String all = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    for (String org : List.of("piet", "other")) {
      operator.post("/admin/organizations", "{\"id\":\"" + org + "\",\"name\":\"" + org + "\",\"tier\":\"pro\"}");
      operator.post("/admin/organizations/" + org + "/purchases", "{\"idempotencyKey\":\"cs_" + org + "\",\"credits\":50}");
      operator.post("/admin/agents", """
          {"agentId": "%s-bot", "orgId": "%s", "name": "Piet's assistant", "doubleTexting": "queue", "tools": ["handoff_to_human"],
           "faq": [{"question": "When are you open?", "answer": "Monday to Friday, 8 to 17."},
                   {"question": "Do you work weekends?", "answer": "Emergencies only, with a surcharge."}]}
          """.formatted(org, org));
    }
    pietKey = anonymous.withBearer(key("piet", all));
    otherKey = anonymous.withBearer(key("other", all));
    agentsOnlyKey = anonymous.withBearer(key("piet", "[\"agents:read\",\"agents:write\"]"));

    opening = converse("ops-1", "When are you open?", "Do you work weekends?");
    boiler = converse("ops-2", "Do you fix boilers?", "yes");
    awaitAssert(() -> {
      assertThat(pietKey.get("/api/v1/conversations/" + boiler).json().path("status").asText()).isEqualTo("handed_off");
      assertThat(pietKey.get("/api/v1/conversations/" + opening).json().path("conversation").path("messageCount").asLong()).isEqualTo(4);
    });
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void aCandidateIsReplayedOverRecordedConversationsWithExactDiffsAndNothingLeaves() {
    long balance = available();
    int sent = sentMessages();

    Response started = pietKey.post("/api/v1/agents/piet-bot/replays",
        "{\"sessionIds\": [\"" + opening + "\", \"" + boiler + "\"], \"candidate\": " + CANDIDATE + "}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String replayId = started.json().path("replayId").asText();
    assertThat(started.json().path("progress").path("total").asInt()).isEqualTo(4);
    assertThat(started.json().path("budget").asLong()).as("the default budget").isEqualTo(1000);
    assertThat(started.json().path("candidate").path("tools")).isEmpty();
    assertThat(started.json().path("candidate").path("name").asText()).as("what the candidate leaves out stays").isEqualTo("Piet's assistant");

    JsonNode report = awaitDone("/api/v1/agents/piet-bot/replays/" + replayId);
    JsonNode replay = report.path("replay");
    assertThat(replay.path("progress").path("done").asInt()).isEqualTo(4);
    assertThat(replay.path("spent").asLong()).isEqualTo(4);
    JsonNode summary = replay.path("summary");
    assertThat(summary.path("changedAnswers").asInt()).isEqualTo(3);
    assertThat(summary.path("sameAnswers").asInt()).isEqualTo(1);
    assertThat(summary.path("newHandoffs").asInt()).isZero();
    assertThat(summary.path("lostHandoffs").asInt()).isEqualTo(1);
    assertThat(summary.path("toolChanges").asInt()).isEqualTo(1);
    assertThat(summary.path("recordedCredits").asLong()).as("four replies and one hand-off").isEqualTo(5);
    assertThat(summary.path("candidateCredits").asLong()).isEqualTo(4);
    assertThat(summary.path("creditDifference").asLong()).isEqualTo(-1);

    JsonNode turns = report.path("turns");
    assertThat(turns.findValuesAsText("customer"))
        .containsExactly("When are you open?", "Do you work weekends?", "Do you fix boilers?", "yes");
    assertThat(turns.get(0).path("answerChanged").asBoolean()).isFalse();
    assertThat(turns.get(0).path("similarity").asDouble()).isEqualTo(1.0);
    assertThat(turns.get(1).path("recorded").path("reply").asText()).isEqualTo("Emergencies only, with a surcharge.");
    assertThat(turns.get(1).path("candidate").path("reply").asText()).isEqualTo("Saturdays 9 to 13.");
    assertThat(turns.get(1).path("similarity").asDouble()).isEqualTo(0.0);
    assertThat(turns.get(2).path("recorded").path("reply").asText()).startsWith("I'm not sure about that.");
    assertThat(turns.get(2).path("candidate").path("reply").asText()).isEqualTo("Yes, we service and repair all boiler brands.");
    JsonNode handoff = turns.get(3);
    assertThat(handoff.path("recorded").path("reply").asText()).isEqualTo(SessionEntity.HANDOFF_REPLY);
    assertThat(handoff.path("recorded").path("handedOff").asBoolean()).isTrue();
    assertThat(handoff.path("recorded").path("tools").path(0).path("name").asText()).isEqualTo("handoff_to_human");
    assertThat(handoff.path("candidate").path("handedOff").asBoolean()).isFalse();
    assertThat(handoff.path("candidate").path("reply").asText())
        .isEqualTo("I can't pass this on from here, sorry. Please contact the business directly.");
    assertThat(handoff.path("handoff").asText()).isEqualTo("disappeared");
    assertThat(handoff.path("toolsRemoved").path(0).path("name").asText()).isEqualTo("handoff_to_human");

    assertThat(available()).as("the balance is not touched").isEqualTo(balance);
    assertThat(sentMessages()).as("nothing is sent").isEqualTo(sent);
    assertThat(pietKey.get("/api/v1/conversations/" + boiler).json().path("status").asText()).isEqualTo("handed_off");
    assertThat(pietKey.get("/api/v1/agents/piet-bot").json().path("config").path("tools").path(0).asText())
        .as("the agent itself is unchanged").isEqualTo("handoff_to_human");

    JsonNode page = pietKey.get("/api/v1/agents/piet-bot/replays/" + replayId + "?after=1&limit=2").json();
    assertThat(page.path("turns").findValuesAsText("customer")).containsExactly("Do you work weekends?", "Do you fix boilers?");
    assertThat(page.path("nextAfter").asInt()).isEqualTo(3);
    assertThat(pietKey.get("/api/v1/agents/piet-bot/replays/" + replayId + "?after=2&limit=2").json().path("nextAfter").isNull()).isTrue();
    assertThat(pietKey.get("/api/v1/agents/piet-bot/replays").json().path("replays").findValuesAsText("replayId")).contains(replayId);
    Response cancelled = pietKey.send("DELETE", "/api/v1/agents/piet-bot/replays/" + replayId, "");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().path("status").asText()).as("a finished replay stays as it is").isEqualTo("done");
  }

  @Test
  void theBudgetTheFilterAndTheIdempotencyKey() {
    // the candidate's turn costs 1 credit: a budget of 2 runs two turns and skips the rest
    Response budgeted = pietKey.post("/api/v1/agents/piet-bot/replays", "{\"filter\": {\"limit\": 2}, \"candidate\": " + CANDIDATE
        + ", \"budget\": 2}");
    assertThat(budgeted.status()).as(budgeted.body()).isEqualTo(202);
    JsonNode report = awaitDone("/api/v1/agents/piet-bot/replays/" + budgeted.json().path("replayId").asText());
    assertThat(report.path("replay").path("progress").path("done").asInt()).isEqualTo(2);
    assertThat(report.path("replay").path("progress").path("skipped").asInt()).isEqualTo(2);
    assertThat(report.path("turns").get(3).path("note").asText()).isEqualTo("the replay's budget of 2 credits is spent (2 used)");

    Response latest = pietKey.post("/api/v1/agents/piet-bot/replays", "{\"filter\": {\"limit\": 1, \"text\": \"boilers\"}}");
    assertThat(latest.status()).as(latest.body()).isEqualTo(202);
    assertThat(latest.json().path("progress").path("total").asInt()).as("the boiler conversation's two turns").isEqualTo(2);
    JsonNode baseline = awaitDone("/api/v1/agents/piet-bot/replays/" + latest.json().path("replayId").asText());
    assertThat(baseline.path("replay").path("summary").path("changedAnswers").asInt())
        .as("the agent as it is, with the deterministic local model, answers as recorded").isZero();

    Map<String, String> once = Map.of("Idempotency-Key", "replay-once-1", "Content-Type", "application/json");
    byte[] body = ("{\"sessionIds\": [\"" + opening + "\"]}").getBytes(StandardCharsets.UTF_8);
    Response first = pietKey.post("/api/v1/agents/piet-bot/replays", body, once);
    Response again = pietKey.post("/api/v1/agents/piet-bot/replays", body, once);
    assertThat(first.status()).isEqualTo(202);
    assertThat(again.json().path("replayId").asText()).as("a retry answers the same replay").isEqualTo(first.json().path("replayId").asText());
  }

  @Test
  void badInputIsAClearErrorAndAnotherOrganizationSeesNothing() {
    String replayId = pietKey.post("/api/v1/agents/piet-bot/replays", "{\"sessionIds\": [\"" + opening + "\"]}").json()
        .path("replayId").asText();
    assertThat(replayId).startsWith("rpl_");

    assertThat(pietKey.post("/api/v1/agents/piet-bot/replays", "{\"sessionIds\": [\"" + opening + "\"], \"filter\": {}}").errorCode())
        .isEqualTo("invalid_request");
    assertThat(pietKey.post("/api/v1/agents/piet-bot/replays", "{\"sessionIds\": []}").status()).isEqualTo(400);
    assertThat(pietKey.post("/api/v1/agents/piet-bot/replays", "{\"budget\": 0}").status()).isEqualTo(400);
    assertThat(pietKey.post("/api/v1/agents/piet-bot/replays", "{\"filter\": {\"from\": \"yesterday\"}}").body()).contains("filter.from");
    assertThat(pietKey.post("/api/v1/agents/piet-bot/replays", "{\"filter\": {\"limit\": 101}}").status()).isEqualTo(400);
    assertThat(pietKey.post("/api/v1/agents/piet-bot/replays", "{\"filter\": {\"text\": \"nothing like this\"}}").body())
        .contains("hold no customer message the agent answered");
    Response badModel = pietKey.post("/api/v1/agents/piet-bot/replays", "{\"candidate\": {\"model\": {\"provider\": \"nope\","
        + " \"model\": \"x\", \"temperature\": 0}}}");
    assertThat(badModel.status()).isEqualTo(400);
    assertThat(badModel.errorCode()).isEqualTo("invalid_agent");
    assertThat(pietKey.post("/api/v1/agents/piet-bot/replays", "{not json").status()).isEqualTo(400);
    assertThat(pietKey.post("/api/v1/agents/piet-bot/replays", "{\"sessionIds\": [\"s_unknown\"]}").status()).isEqualTo(404);
    assertThat(pietKey.get("/api/v1/agents/piet-bot/replays/" + replayId + "?limit=0").status()).isEqualTo(400);
    assertThat(pietKey.get("/api/v1/agents/piet-bot/replays/rpl_unknown").status()).isEqualTo(404);
    Response scoped = agentsOnlyKey.post("/api/v1/agents/piet-bot/replays", "{}");
    assertThat(scoped.status()).as("a replay's report quotes customers").isEqualTo(403);
    assertThat(agentsOnlyKey.get("/api/v1/agents/piet-bot/replays/" + replayId).status()).isEqualTo(403);
    assertThat(agentsOnlyKey.get("/api/v1/agents/piet-bot/replays").status()).isEqualTo(200);

    assertThat(otherKey.post("/api/v1/agents/piet-bot/replays", "{}").status()).isEqualTo(404);
    assertThat(otherKey.get("/api/v1/agents/piet-bot/replays").status()).isEqualTo(404);
    assertThat(otherKey.get("/api/v1/agents/piet-bot/replays/" + replayId).status()).isEqualTo(404);
    assertThat(otherKey.get("/api/v1/agents/other-bot/replays/" + replayId).status()).as("through its own agent").isEqualTo(404);
    assertThat(otherKey.send("DELETE", "/api/v1/agents/other-bot/replays/" + replayId, "").status()).isEqualTo(404);
    assertThat(otherKey.post("/api/v1/agents/other-bot/replays", "{\"sessionIds\": [\"" + opening + "\"]}").status())
        .as("another organization's conversation").isEqualTo(404);
  }

  private static String key(String org, String scopes) {
    return operator.post("/admin/organizations/" + org + "/api-keys", "{\"name\":\"" + org + "\",\"scopes\":" + scopes + "}")
        .json().path("key").asText();
  }

  /** A conversation on the test channel: each message waits for the one before to be answered. */
  private static String converse(String contact, String... texts) {
    String sessionId = new SessionKey("piet-bot", "test", contact).sessionId();
    for (int i = 0; i < texts.length; i++) {
      int answered = i + 1;
      assertThat(operator.post("/admin/conversations/inbound", "{\"orgId\":\"piet\",\"agentId\":\"piet-bot\",\"channel\":\"test\","
          + "\"contact\":\"" + contact + "\",\"messageId\":\"" + contact + "-" + i + "\",\"text\":\"" + texts[i] + "\"}").status())
          .isEqualTo(202);
      awaitAssert(() -> assertThat(operator.get("/admin/conversations/" + sessionId).json().path("outbox")).hasSize(answered));
    }
    return sessionId;
  }

  private static JsonNode awaitDone(String path) {
    awaitAssert(() -> assertThat(pietKey.get(path).json().path("replay").path("status").asText()).isEqualTo("done"));
    return pietKey.get(path).json();
  }

  private static long available() {
    return pietKey.get("/api/v1/credits").json().path("available").asLong();
  }

  private static int sentMessages() {
    return operator.get("/admin/conversations/" + opening).json().path("outbox").size()
        + operator.get("/admin/conversations/" + boiler).json().path("outbox").size();
  }

  private static void awaitAssert(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }
}
