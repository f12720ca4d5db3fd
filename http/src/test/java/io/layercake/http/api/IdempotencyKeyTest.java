package io.layercake.http.api;

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
import io.layercake.runtime.session.SessionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Idempotency-Key} on every operation that creates something: a repeat gets the first answer
 * (marked replayed) and creates nothing; the key with another request is a 422; keys are per
 * organization.
 */
class IdempotencyKeyTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient agency;
  private static HttpTestClient other;
  private static String sessionId;

  @BeforeAll
  static void start(@TempDir Path dir) {
    node = LayercakeNode.start(TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100).withAdmin(new AdminSettings(Secret.of(TOKEN))));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    agency = agency("idem");
    other = agency("other");
    operator.post("/admin/agents", "{\"agentId\": \"idem-bot\", \"orgId\": \"idem\", \"name\": \"Idem bot\"}");
    Response inbound = operator.post("/admin/conversations/inbound", "{\"orgId\":\"idem\",\"agentId\":\"idem-bot\",\"channel\":\"test\","
        + "\"contact\":\"visitor-1\",\"messageId\":\"m-1\",\"text\":\"Hello\"}");
    assertThat(inbound.status()).as(inbound.body()).isEqualTo(202);
    sessionId = new SessionKey("idem-bot", "test", "visitor-1").sessionId();
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void aRepeatGetsTheFirstAnswerAndCreatesNothing() {
    record Creation(String name, String path, String body, Supplier<Integer> count) {}
    List<Creation> creations = List.of(
        new Creation("createClient", "/api/v1/organizations/children", "{\"name\":\"Plumber\"}",
            () -> named(agency.get("/api/v1/organizations/children").json().path("organizations"), "Plumber")),
        new Creation("createAgent", "/api/v1/agents", "{\"name\":\"Twin\"}",
            () -> named(agency.get("/api/v1/agents").json().path("agents"), "Twin")),
        new Creation("createApiKey", "/api/v1/api-keys", "{\"name\":\"dashboard\",\"scopes\":[\"credits:read\"]}",
            () -> named(agency.get("/api/v1/api-keys").json().path("apiKeys"), "dashboard")),
        new Creation("uploadDocument", "/api/v1/knowledge/documents", "{\"title\":\"Prices\",\"text\":\"Call-out EUR 65.\"}",
            () -> titled(agency.get("/api/v1/knowledge/documents").json().path("documents"), "Prices")),
        new Creation("bindChannel", "/api/v1/agents/idem-bot/channels", "{\"channel\":\"webchat\",\"address\":\"idem-site\"}",
            () -> (int) StreamSupport.stream(agency.get("/api/v1/channels").json().path("bindings").spliterator(), false)
                .filter(binding -> binding.path("address").asText().equals("idem-site")).count()),
        new Creation("sendMessage", "/api/v1/conversations/" + sessionId + "/messages", "{\"text\":\"A person here.\"}",
            () -> (int) StreamSupport.stream(messages().spliterator(), false)
                .filter(message -> message.path("text").asText().equals("A person here.")).count()),
        new Creation("addNote", "/api/v1/conversations/" + sessionId + "/notes", "{\"text\":\"Prefers mornings.\"}",
            () -> (int) StreamSupport.stream(agency.get("/api/v1/conversations/" + sessionId + "/notes").json().path("notes")
                .spliterator(), false).filter(note -> note.path("text").asText().equals("Prefers mornings.")).count()),
        new Creation("createCannedReply", "/api/v1/canned-replies", "{\"title\":\"Hours\",\"text\":\"Nine to five.\"}",
            () -> titled(agency.get("/api/v1/canned-replies").json().path("cannedReplies"), "Hours")),
        new Creation("startReplay", "/api/v1/agents/idem-bot/replays", "{\"sessionIds\":[\"" + sessionId + "\"]}",
            () -> agency.get("/api/v1/agents/idem-bot/replays").json().path("replays").size()));
    // a replay reads the conversation's answered turn from the read model and the journal
    eventually(() -> assertThat(agency.get("/api/v1/conversations/" + sessionId).json().path("conversation").path("messageCount")
        .asInt()).isGreaterThanOrEqualTo(2));

    for (Creation creation : creations) {
      String key = "key-" + creation.name();
      Response first = post(agency, creation.path(), creation.body(), key);
      Response repeat = post(agency, creation.path(), creation.body(), key);

      assertThat(first.status()).as(creation.name() + ": " + first.body()).isBetween(200, 299);
      assertThat(first.headers()).as(creation.name()).doesNotContainKey("idempotent-replayed");
      assertThat(repeat.status()).as(creation.name()).isEqualTo(first.status());
      assertThat(repeat.body()).as(creation.name()).isEqualTo(first.body());
      assertThat(repeat.headers().get("idempotent-replayed")).as(creation.name()).containsExactly("true");
      eventually(() -> assertThat(creation.count().get()).as(creation.name() + " created once").isEqualTo(1));
    }
  }

  @Test
  void aDocumentLargerThanOtherRequestsIsKeyedToo() {
    byte[] manual = ("Boiler manual. " + "Step. ".repeat(300_000)).getBytes(StandardCharsets.UTF_8);
    assertThat(manual.length).as("above the 1 MB of other requests, within the 10 MB of documents").isGreaterThan(1_500_000);
    Map<String, String> headers = Map.of("Content-Type", "text/plain", "Idempotency-Key", "key-manual");

    Response first = agency.post("/api/v1/knowledge/documents?title=Manual", manual, headers);
    Response repeat = agency.post("/api/v1/knowledge/documents?title=Manual", manual, headers);

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(repeat.body()).isEqualTo(first.body());
    assertThat(repeat.headers().get("idempotent-replayed")).containsExactly("true");
    assertThat(titled(agency.get("/api/v1/knowledge/documents").json().path("documents"), "Manual")).isEqualTo(1);
  }

  @Test
  void theKeyWithAnotherRequestIsRefused() {
    assertThat(post(agency, "/api/v1/agents", "{\"name\":\"First\"}", "key-reused").status()).isEqualTo(201);

    Response other = post(agency, "/api/v1/agents", "{\"name\":\"Second\"}", "key-reused");

    assertThat(other.status()).isEqualTo(422);
    assertThat(other.json().path("error").path("code").asText()).isEqualTo("idempotency_key_reused");
    assertThat(named(agency.get("/api/v1/agents").json().path("agents"), "Second")).isZero();
  }

  @Test
  void keysBelongToTheirOrganization() {
    Response mine = post(agency, "/api/v1/agents", "{\"name\":\"Shared key\"}", "key-shared");
    Response theirs = post(other, "/api/v1/agents", "{\"name\":\"Shared key\"}", "key-shared");

    assertThat(mine.status()).isEqualTo(201);
    assertThat(theirs.status()).isEqualTo(201);
    assertThat(theirs.headers()).doesNotContainKey("idempotent-replayed");
    assertThat(theirs.json().path("config").path("orgId").asText()).isEqualTo("other");
  }

  @Test
  void aMalformedKeyIsRefusedAndWithoutOneEachRequestCounts() {
    assertThat(post(agency, "/api/v1/agents", "{\"name\":\"Odd\"}", "x".repeat(256)).json().path("error").path("code").asText())
        .isEqualTo("invalid_idempotency_key");
    assertThat(agency.post("/api/v1/agents", "{\"name\":\"Unkeyed\"}").status()).isEqualTo(201);
    assertThat(agency.post("/api/v1/agents", "{\"name\":\"Unkeyed\"}").status()).isEqualTo(201);
    eventually(() -> assertThat(named(agency.get("/api/v1/agents").json().path("agents"), "Unkeyed")).isEqualTo(2));
  }

  private static HttpTestClient agency(String orgId) {
    operator.post("/admin/organizations", "{\"id\":\"" + orgId + "\",\"name\":\"" + orgId + "\",\"tier\":\"agency\"}");
    operator.post("/admin/organizations/" + orgId + "/purchases", "{\"idempotencyKey\":\"cs_" + orgId + "\",\"credits\":100}");
    String scopes = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    Response key = operator.post("/admin/organizations/" + orgId + "/api-keys", "{\"name\":\"all\",\"scopes\":" + scopes + "}");
    return HttpTestClient.to(node.address()).withBearer(key.json().path("key").asText());
  }

  private static Response post(HttpTestClient client, String path, String body, String key) {
    return client.post(path, body.getBytes(StandardCharsets.UTF_8), Map.of("Idempotency-Key", key));
  }

  private static JsonNode messages() {
    return agency.get("/api/v1/conversations/" + sessionId + "/messages").json().path("messages");
  }

  private static int named(JsonNode items, String name) {
    return (int) StreamSupport.stream(items.spliterator(), false).filter(item -> item.path("name").asText().equals(name)).count();
  }

  private static int titled(JsonNode items, String title) {
    return (int) StreamSupport.stream(items.spliterator(), false).filter(item -> item.path("title").asText().equals(title)).count();
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      assertion.run();
      return null;
    });
  }
}
