package io.layercake.http.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.AdminSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.StubProvider;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.session.SessionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instagram direct messages end to end against a Graph API stub on 127.0.0.1 speaking the Messenger
 * Platform's wire format: signed webhooks in (checked before parsing), one conversation per
 * Instagram user and agent, a redelivery answered once, the agent's reply out with the page token,
 * a person's message up to 7 days later with the human-agent tag and refused after.
 */
class InstagramDirectMessagesTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final Secret APP_SECRET = Secret.of("meta-app-secret");
  private static final String ACCOUNT = "17841400008460056";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger SENT = new AtomicInteger();

  private static StubProvider graph;
  private static LayercakeNode node;
  private static HttpTestClient meta;
  private static HttpTestClient studioKey;
  private static HttpTestClient otherKey;

  @BeforeAll
  static void start(@TempDir Path dir) {
    graph = StubProvider.start(request -> StubProvider.Response.json(200,
        "{\"recipient_id\":\"x\",\"message_id\":\"aWdfZAG1f" + SENT.incrementAndGet() + "\"}"));
    LayercakeSettings defaults = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100);
    ChannelSettings channels = defaults.channels();
    node = LayercakeNode.start(defaults
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withChannels(new ChannelSettings(new ChannelSettings.WhatsApp(graph.baseUrl(), "v21.0", APP_SECRET, Secret.of("verify")),
            channels.infobip(), channels.webchat(), Duration.ofSeconds(5))));
    HttpTestClient operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    meta = HttpTestClient.to(node.address());
    String all = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    for (String org : List.of("studio", "other")) {
      operator.post("/admin/organizations", "{\"id\":\"" + org + "\",\"name\":\"" + org + "\",\"tier\":\"pro\"}");
      operator.post("/admin/organizations/" + org + "/purchases", "{\"idempotencyKey\":\"cs_" + org + "\",\"credits\":50}");
    }
    studioKey = meta.withBearer(operator.post("/admin/organizations/studio/api-keys", "{\"name\":\"studio\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    otherKey = meta.withBearer(operator.post("/admin/organizations/other/api-keys", "{\"name\":\"other\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    operator.post("/admin/agents", """
        {"agentId": "studio-ig", "orgId": "studio", "name": "Studio assistant", "doubleTexting": "queue",
         "faq": [{"question": "When are you open?", "answer": "Every day from 7 to 21."}]}
        """);
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    graph.close();
  }

  @Test
  void directMessagesAreAnsweredOnceRepliesUseThePageTokenAndAPersonHasSevenDays() {
    Response handshake = meta.get("/webhooks/instagram?hub.mode=subscribe&hub.verify_token=verify&hub.challenge=4711");
    assertThat(handshake.status()).isEqualTo(200);
    assertThat(handshake.body()).isEqualTo("4711");
    assertThat(meta.get("/webhooks/instagram?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1").status()).isEqualTo(403);

    assertThat(studioKey.send("PUT", "/api/v1/channels/instagram", "{\"accountId\":\"not-digits\"}").status()).isEqualTo(400);
    Response connected = studioKey.send("PUT", "/api/v1/channels/instagram",
        "{\"accessToken\":\"EAAG-studio-page\",\"accountId\":\"" + ACCOUNT + "\"}");
    assertThat(connected.status()).as(connected.body()).isEqualTo(200);
    assertThat(connected.body()).doesNotContain("EAAG-studio-page");
    assertThat(studioKey.get("/api/v1/channels").json().path("instagram").path("accountId").asText()).isEqualTo(ACCOUNT);
    assertThat(studioKey.post("/api/v1/agents/studio-ig/channels", "{\"channel\":\"instagram\",\"address\":\"" + ACCOUNT + "\"}").status())
        .isEqualTo(201);

    byte[] question = message("6543210987654321", "m_Q1", "When are you open?", Instant.now());
    assertThat(meta.post("/webhooks/instagram", question, Map.of("X-Hub-Signature-256", "sha256=forged")).status()).isEqualTo(401);
    assertThat(deliver(question).status()).isEqualTo(200);
    StubProvider.Request reply = awaitSends("6543210987654321", 1).get(0);
    assertThat(reply.path()).isEqualTo("/v21.0/" + ACCOUNT + "/messages");
    assertThat(reply.headers().get("Authorization")).isEqualTo("Bearer EAAG-studio-page");
    assertThat(reply.json().path("message").path("text").asText()).isEqualTo("Every day from 7 to 21.");
    assertThat(reply.json().has("tag")).isFalse();

    // Meta delivers the same message again, then the customer writes on: one answer each
    assertThat(deliver(question).status()).isEqualTo(200);
    assertThat(deliver(message("6543210987654321", "m_Q2", "[story] When are you open?", Instant.now())).status()).isEqualTo(200);
    assertThat(awaitSends("6543210987654321", 2)).hasSize(2);
    String sessionId = new SessionKey("studio-ig", "instagram", "6543210987654321").sessionId();
    eventually(() -> assertThat(studioKey.get("/api/v1/conversations/" + sessionId + "/messages").json().path("messages")
        .findValuesAsText("direction").stream().filter("inbound"::equals).count()).isEqualTo(2));
    assertThat(otherKey.get("/api/v1/conversations/" + sessionId).status()).as("another organization's").isEqualTo(404);

    // echoes of our own messages and a story reply, a reaction, a read receipt
    byte[] mixed = ("""
        {"object":"instagram","entry":[{"id":"%1$s","time":%2$d,"messaging":[
          {"sender":{"id":"%1$s"},"recipient":{"id":"6543210987654321"},"timestamp":%2$d,
           "message":{"mid":"m_ECHO","text":"Every day from 7 to 21.","is_echo":true}},
          {"sender":{"id":"6543210987654321"},"recipient":{"id":"%1$s"},"timestamp":%2$d,
           "reaction":{"mid":"m_Q2","action":"react","reaction":"love","emoji":"\u2764"}},
          {"sender":{"id":"6543210987654321"},"recipient":{"id":"%1$s"},"timestamp":%2$d,"read":{"mid":"aWdfZAG1f1"}}]}]}
        """).formatted(ACCOUNT, Instant.now().toEpochMilli()).getBytes(StandardCharsets.UTF_8);
    assertThat(deliver(mixed).status()).isEqualTo(200);
    eventually(() -> assertThat(studioKey.get("/api/v1/conversations/" + sessionId + "/timeline").body())
        .contains("ReactionReceived"));
    assertThat(graph.requestsTo("/v21.0/" + ACCOUNT + "/messages")).as("no answer to an echo or a reaction").hasSize(2);

    // a customer who last wrote two days ago: the agent may not answer, a person may (human-agent tag)
    assertThat(deliver(message("1111222233334444", "m_OLD", "Can I still book?", Instant.now().minus(Duration.ofDays(2)))).status())
        .isEqualTo(200);
    String late = new SessionKey("studio-ig", "instagram", "1111222233334444").sessionId();
    eventually(() -> assertThat(studioKey.get("/api/v1/conversations/" + late).status()).isEqualTo(200));
    Response person = studioKey.post("/api/v1/conversations/" + late + "/messages", "{\"text\":\"Yes: Thursday at 18:00 is free.\"}");
    assertThat(person.status()).as(person.body()).isEqualTo(202);
    StubProvider.Request tagged = awaitSends("1111222233334444", 1).get(0);
    assertThat(tagged.json().path("message").path("text").asText()).isEqualTo("Yes: Thursday at 18:00 is free.");
    assertThat(tagged.json().path("messaging_type").asText()).isEqualTo("MESSAGE_TAG");
    assertThat(tagged.json().path("tag").asText()).isEqualTo("HUMAN_AGENT");
    assertThat(studioKey.post("/api/v1/conversations/" + late + "/messages",
        "{\"template\":{\"name\":\"x\",\"language\":\"en\",\"parameters\":[]}}").status()).as("no templates on Instagram").isEqualTo(400);

    // eight days: nobody may write until the customer does
    assertThat(deliver(message("5555666677778888", "m_OLDER", "Hello?", Instant.now().minus(Duration.ofDays(8)))).status())
        .isEqualTo(200);
    String older = new SessionKey("studio-ig", "instagram", "5555666677778888").sessionId();
    eventually(() -> assertThat(studioKey.get("/api/v1/conversations/" + older).status()).isEqualTo(200));
    Response refused = studioKey.post("/api/v1/conversations/" + older + "/messages", "{\"text\":\"Sorry for the wait!\"}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("window_closed");
    assertThat(refused.body()).contains("Instagram", "write again");
  }

  private static Response deliver(byte[] body) {
    return meta.post("/webhooks/instagram", body, Map.of("X-Hub-Signature-256", HubSignature.sign(APP_SECRET, body)));
  }

  private static byte[] message(String from, String mid, String text, Instant at) {
    return """
        {"object":"instagram","entry":[{"id":"%s","time":%d,"messaging":[{"sender":{"id":"%s"},"recipient":{"id":"%s"},
          "timestamp":%d,"message":{"mid":"%s","text":"%s"}}]}]}
        """.formatted(ACCOUNT, Instant.now().toEpochMilli(), from, ACCOUNT, at.toEpochMilli(), mid, text).getBytes(StandardCharsets.UTF_8);
  }

  private static List<StubProvider.Request> awaitSends(String to, int count) {
    return TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      List<StubProvider.Request> sent = graph.requestsTo("/v21.0/" + ACCOUNT + "/messages").stream()
          .filter(request -> to.equals(request.json().path("recipient").path("id").asText())).toList();
      assertThat(sent).hasSize(count);
      return sent;
    });
  }

  private static void eventually(Runnable assertion) {
    TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }
}
