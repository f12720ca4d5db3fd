package io.layercake.http.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.AdminSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webchat API on a real node (H2): sessions by token, replies, the event stream, history, rate limits, CORS. */
class WebchatTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DatabaseSettings database;
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient visitor;
  private static final HttpClient browser = HttpClient.newHttpClient();

  @BeforeAll
  static void start(@TempDir Path dir) {
    database = DatabaseSettings.h2File(dir, 4);
    LayercakeSettings defaults = TestNodes.settings(dir, database, 100);
    ChannelSettings channels = defaults.channels();
    node = LayercakeNode.start(defaults
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withChannels(new ChannelSettings(channels.whatsapp(), channels.infobip(),
            new ChannelSettings.Webchat(Duration.ofSeconds(8), Duration.ofHours(24), 3, 60), channels.sendTimeout())));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    visitor = HttpTestClient.to(node.address());
    for (String[] org : new String[][] {{"piet", "pro"}, {"hobby", "free"}}) {
      operator.post("/admin/organizations", "{\"id\":\"" + org[0] + "\",\"name\":\"" + org[0] + "\",\"tier\":\"" + org[1] + "\"}");
      operator.post("/admin/organizations/" + org[0] + "/purchases", "{\"idempotencyKey\":\"cs_" + org[0] + "\",\"credits\":100}");
      operator.post("/admin/agents", """
          {"agentId": "%1$s-chat", "orgId": "%1$s", "name": "%1$s assistant", "doubleTexting": "queue",
           "greeting": "Hello! Ask me anything about pipes.",
           "webchat": {"brandColor": "#0f766e", "position": "bottom-left", "allowedOrigins": ["https://piet.example"]},
           "faq": [{"question": "When are you open?", "answer": "Monday to Friday, 8 to 17."},
                   {"question": "Do you fix boilers?", "answer": "Yes, every make of boiler."}]}
          """.formatted(org[0]));
    }
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void theWidgetConfigurationIsPublic() {
    JsonNode config = visitor.get("/api/v1/webchat/config/piet-chat").json();

    assertThat(config.path("name").asText()).isEqualTo("piet assistant");
    assertThat(config.path("greeting").asText()).isEqualTo("Hello! Ask me anything about pipes.");
    assertThat(config.path("brandColor").asText()).isEqualTo("#0f766e");
    assertThat(config.path("position").asText()).isEqualTo("bottom-left");
    assertThat(config.path("enabled").asBoolean()).isTrue();
    assertThat(visitor.get("/api/v1/webchat/config/nobody").status()).isEqualTo(404);
  }

  @Test
  void aVisitorGetsAnswersAndKeepsTheConversationWithTheToken() {
    Response first = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"piet-chat\",\"text\":\"When are you open?\"}");
    String token = first.json().path("sessionToken").asText();
    Response second = visitor.post("/api/v1/webchat/message",
        "{\"agentId\":\"piet-chat\",\"sessionToken\":\"" + token + "\",\"text\":\"Do you fix boilers?\"}");

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().path("status").asText()).isEqualTo("answered");
    assertThat(first.json().path("replies").path(0).path("text").asText()).isEqualTo("Monday to Friday, 8 to 17.");
    assertThat(token).hasSizeGreaterThanOrEqualTo(40);
    assertThat(second.json().path("sessionId").asText()).isEqualTo(first.json().path("sessionId").asText());
    assertThat(second.json().path("replies").path(0).path("text").asText()).isEqualTo("Yes, every make of boiler.");
    eventually(() -> assertThat(visitor.get("/api/v1/webchat/history?sessionToken=" + token).json().path("messages")
        .findValuesAsText("from")).containsExactly("visitor", "agent", "visitor", "agent"));
  }

  @Test
  void theHistoryRightAfterAnAnswerHoldsTheReply() {
    // Each round reads right after the answer, without waiting: the read model alone lags about a second.
    for (int round = 1; round <= 4; round++) {
      Response answered = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"piet-chat\",\"text\":\"Do you fix boilers?\"}");
      assertThat(answered.json().path("status").asText()).as(answered.body()).isEqualTo("answered");
      String token = answered.json().path("sessionToken").asText();

      JsonNode history = visitor.get("/api/v1/webchat/history?sessionToken=" + token).json().path("messages");

      assertThat(history.findValuesAsText("from")).as("round " + round).containsExactly("visitor", "agent");
      assertThat(history.path(1).path("text").asText()).isEqualTo("Yes, every make of boiler.");
    }
  }

  @Test
  void anExpiredOrForeignTokenStartsNothing() {
    String token = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"piet-chat\",\"text\":\"hello\"}").json()
        .path("sessionToken").asText();

    Response foreign = visitor.post("/api/v1/webchat/message",
        "{\"agentId\":\"hobby-chat\",\"sessionToken\":\"" + token + "\",\"text\":\"hi\"}");
    Sql.update(database, "UPDATE webchat_visitors SET last_seen_at = DATEADD('HOUR', -25, last_seen_at)");
    Response expired = visitor.post("/api/v1/webchat/message",
        "{\"agentId\":\"piet-chat\",\"sessionToken\":\"" + token + "\",\"text\":\"still there?\"}");

    assertThat(foreign.status()).isEqualTo(401);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.errorCode()).isEqualTo("session_expired");
    assertThat(visitor.get("/api/v1/webchat/history?sessionToken=" + token).status()).isEqualTo(401);
  }

  @Test
  void theFreeTierIsRateLimitedPerVisitor() {
    String token = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"hobby-chat\",\"text\":\"one\"}").json()
        .path("sessionToken").asText();
    String next = "{\"agentId\":\"hobby-chat\",\"sessionToken\":\"" + token + "\",\"text\":\"again\"}";
    visitor.post("/api/v1/webchat/message", next);
    visitor.post("/api/v1/webchat/message", next);

    HttpResponse<String> limited = raw(HttpRequest.newBuilder(uri("/api/v1/webchat/message"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(next)));
    Response otherVisitor = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"hobby-chat\",\"text\":\"me too\"}");

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
        seconds -> assertThat(seconds).isBetween(1L, 60L));
    assertThat(otherVisitor.status()).isEqualTo(200);
  }

  @Test
  void theAddressLimitSaysWhichLimitApplies() {
    operator.post("/admin/agents", "{\"agentId\": \"hobby-burst\", \"orgId\": \"hobby\", \"name\": \"burst\"}");
    String fresh = "{\"agentId\":\"hobby-burst\",\"text\":\"a new visitor\"}";
    List<Response> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      answers.add(visitor.post("/api/v1/webchat/message", fresh));
    }

    // Free allows 3 a minute per visitor, so twice that (6) per client address: the 7th new visitor is refused.
    assertThat(answers.subList(0, 6)).allSatisfy(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(200));
    Response limited = answers.get(6);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.errorCode()).isEqualTo("rate_limited");
    assertThat(limited.json().path("error").path("message").asText()).contains("6 messages a minute");
  }

  @Test
  void theVisitorLimitSaysWhichLimitApplies() {
    operator.post("/admin/agents", "{\"agentId\": \"hobby-talker\", \"orgId\": \"hobby\", \"name\": \"talker\"}");
    String token = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"hobby-talker\",\"text\":\"one\"}").json()
        .path("sessionToken").asText();
    String next = "{\"agentId\":\"hobby-talker\",\"sessionToken\":\"" + token + "\",\"text\":\"again\"}";
    visitor.post("/api/v1/webchat/message", next);
    visitor.post("/api/v1/webchat/message", next);

    Response limited = visitor.post("/api/v1/webchat/message", next);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().path("error").path("message").asText()).contains("3 messages a minute");
  }

  @Test
  void sayingYesToTheBuiltInModelsOfferOfAPersonHandsTheConversationOver() {
    operator.post("/admin/agents", """
        {"agentId": "piet-desk", "orgId": "piet", "name": "Piet's desk", "tools": ["handoff_to_human"],
         "faq": [{"question": "When are you open?", "answer": "Monday to Friday, 8 to 17."}]}
        """);
    JsonNode offered = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"piet-desk\",\"text\":\"Can you repair my car?\"}").json();
    assertThat(offered.path("replies").path(0).path("text").asText()).contains("ask someone from the team");

    JsonNode accepted = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"piet-desk\",\"sessionToken\":\""
        + offered.path("sessionToken").asText() + "\",\"text\":\"Yes please!\"}").json();

    assertThat(accepted.path("replies").path(0).path("text").asText()).contains("a person from the team");
    String sessionId = accepted.path("sessionId").asText();
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      assertThat(operator.get("/admin/conversations/" + sessionId).json().path("status").asText()).isEqualTo("handed_off");
      return null;
    });
  }

  @Test
  void malformedAndOversizedBodiesAreHumanErrors() {
    for (String path : List.of("/api/v1/webchat/message", "/admin/agents", "/admin/organizations")) {
      for (String body : List.of("{\"agentId\":", "{\"agentId\": 42, \"text\": [\"hi\"]}", "{\"surprise\": true}")) {
        Response response = operator.post(path, body);

        assertThat(response.status()).as(path + " " + body).isEqualTo(400);
        assertThat(response.errorCode()).as(path + " " + body).isIn("bad_request", "invalid_request");
        assertNoInternals(response);
      }
    }
    Response oversized = operator.postDeclaringLength("/api/v1/webchat/message", 2 * 1024 * 1024);

    assertThat(oversized.status()).isEqualTo(413);
    assertThat(oversized.json().path("error").path("message").asText()).contains("1 MB");
    assertNoInternals(oversized);
  }

  private static void assertNoInternals(Response response) {
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(response.json().path("error").path("message").asText()).isNotBlank();
    assertThat(response.body()).doesNotContainIgnoringCase("pekko").doesNotContain("Exception")
        .doesNotContainIgnoringCase("unmarshal").doesNotContain("Body").doesNotContain("io.layercake");
  }

  @Test
  void theEventStreamDeliversAPersonsMessage() throws Exception {
    JsonNode first = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"piet-chat\",\"text\":\"Can a person help me?\"}").json();
    String token = first.path("sessionToken").asText();
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpResponse<Stream<String>> stream = browser.send(HttpRequest.newBuilder(uri("/api/v1/webchat/events?sessionToken=" + token))
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> stream.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();

    String sessionId = first.path("sessionId").asText();
    eventually(() -> {
      // The stream subscribes asynchronously: a person writes until the stream has carried one message.
      if (lines.stream().noneMatch(line -> line.contains("Sara here"))) {
        operator.post("/admin/conversations/" + sessionId + "/messages", "{\"author\":\"sara\",\"text\":\"Sara here, how can I help?\"}");
      }
      assertThat(lines).anyMatch(line -> line.startsWith("data:") && line.contains("Sara here, how can I help?"));
    });
    assertThat(lines).anyMatch(line -> line.matches("event: ?message"));
    stream.body().close();
  }

  @Test
  void browsersOnAllowedSitesMayCallAndOthersMayNot() throws Exception {
    HttpResponse<String> allowed = raw(HttpRequest.newBuilder(uri("/api/v1/webchat/config/piet-chat"))
        .header("Origin", "https://piet.example").GET());
    HttpResponse<String> preflight = preflight("/api/v1/webchat/message?agentId=piet-chat", "https://piet.example");
    HttpResponse<String> refused = raw(HttpRequest.newBuilder(uri("/api/v1/webchat/message"))
        .header("Origin", "https://elsewhere.example").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"agentId\":\"piet-chat\",\"text\":\"hi\"}")));

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://piet.example");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("origin_not_allowed");
  }

  @Test
  void aPreflightAllowsOnlyTheOriginsTheAgentAllows() {
    HttpResponse<String> allowed = preflight("/api/v1/webchat/message?agentId=piet-chat", "https://piet.example");
    HttpResponse<String> foreign = preflight("/api/v1/webchat/message?agentId=piet-chat", "https://evil.example");
    HttpResponse<String> anonymous = preflight("/api/v1/webchat/message", "https://evil.example");
    HttpResponse<String> config = preflight("/api/v1/webchat/config/piet-chat", "https://evil.example");
    HttpResponse<String> unknownAgent = preflight("/api/v1/webchat/message?agentId=nobody", "https://piet.example");

    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://piet.example");
    assertThat(allowed.headers().firstValue("Vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));
    for (HttpResponse<String> refused : List.of(foreign, anonymous, config, unknownAgent)) {
      assertThat(refused.statusCode()).as(refused.uri().toString()).isEqualTo(403);
      assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).as(refused.uri().toString()).isEmpty();
      assertThat(refused.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
    }
    assertThat(foreign.body()).contains("origin_not_allowed");
  }

  private static HttpResponse<String> preflight(String path, String origin) {
    return raw(HttpRequest.newBuilder(uri(path)).header("Origin", origin)
        .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void badMessagesAreClearErrors() {
    assertThat(visitor.post("/api/v1/webchat/message", "{\"agentId\":\"piet-chat\",\"text\":\"\"}").status()).isEqualTo(400);
    assertThat(visitor.post("/api/v1/webchat/message", "{\"agentId\":\"nobody\",\"text\":\"hi\"}").status()).isEqualTo(404);
    assertThat(visitor.post("/api/v1/webchat/message", "{\"agentId\":").status()).isEqualTo(400);
    assertThat(visitor.get("/api/v1/webchat/history?sessionToken=made-up").status()).isEqualTo(401);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + node.address().getPort() + path);
  }

  private static HttpResponse<String> raw(HttpRequest.Builder request) {
    try {
      return browser.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }
}
