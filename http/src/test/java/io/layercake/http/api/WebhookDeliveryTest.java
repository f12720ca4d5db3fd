package io.layercake.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.config.WebhookSettings;
import io.layercake.http.LayercakeNode;
import io.layercake.http.providers.HttpWebhookSender;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.StubProvider;
import io.layercake.persistence.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound webhooks on a real node (H2) with a receiver on 127.0.0.1: signed events, retried while
 * the receiver is down, delivered in order per conversation, the same ids in the pull feed.
 */
class WebhookDeliveryTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static StubProvider receiver;
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient agency;

  @BeforeAll
  static void start(@TempDir Path dir) {
    receiver = StubProvider.start(request -> StubProvider.Response.json(200, "{}"));
    LayercakeSettings settings = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withWebhooks(new WebhookSettings(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofHours(25),
            Duration.ofSeconds(5)).allowingPrivateHttpTargets());
    node = LayercakeNode.start(settings);
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    operator.post("/admin/organizations", "{\"id\":\"hooked\",\"name\":\"Hooked\",\"tier\":\"agency\"}");
    operator.post("/admin/organizations/hooked/purchases", "{\"idempotencyKey\":\"cs_hooked\",\"credits\":100}");
    operator.post("/admin/agents", """
        {"agentId": "hooked-bot", "orgId": "hooked", "name": "Hooked bot", "doubleTexting": "queue",
         "faq": [{"question": "When are you open?", "answer": "Nine to five."}]}
        """);
    Response key = operator.post("/admin/organizations/hooked/api-keys",
        "{\"name\":\"hooks\",\"scopes\":[\"webhooks:write\",\"conversations:read\",\"conversations:write\"]}");
    agency = HttpTestClient.to(node.address()).withBearer(key.json().path("key").asText());
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    receiver.close();
  }

  @Test
  void signedEventsArriveInOrderPerConversationAfterTheReceiverRecoversAndMatchTheFeed() throws Exception {
    Response subscribed = agency.post("/api/v1/webhooks", "{\"url\":\"" + receiver.baseUrl() + "/hooks\"}");
    assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
    String secret = subscribed.json().path("secret").asText();
    assertThat(agency.get("/api/v1/webhooks").body()).doesNotContain(secret);
    receiver.thenRespond(503, "{}");
    receiver.thenRespond(500, "{}");

    for (String[] message : new String[][] {{"a", "m-1", "hello"}, {"b", "m-2", "hi"}, {"a", "m-3", "When are you open?"}}) {
      operator.post("/admin/conversations/inbound", "{\"orgId\":\"hooked\",\"agentId\":\"hooked-bot\",\"channel\":\"test\","
          + "\"contact\":\"" + message[0] + "\",\"messageId\":\"" + message[1] + "\",\"text\":\"" + message[2] + "\"}");
    }

    List<JsonNode> delivered = new ArrayList<>();
    eventually(() -> {
      delivered.clear();
      List<StubProvider.Request> requests = receiver.requestsTo("/hooks");
      assertThat(requests.size()).isGreaterThanOrEqualTo(7);
      requests.forEach(request -> delivered.add(request.json()));
      assertThat(delivered.stream().map(event -> event.path("id").asLong()).distinct().count()).isEqualTo(5);
    });
    for (StubProvider.Request request : receiver.requestsTo("/hooks")) {
      String[] parts = request.headers().get("Layercake-Signature").split(",");
      long timestamp = Long.parseLong(parts[0].substring(2));
      assertThat(request.headers().get("Layercake-Signature")).isEqualTo(HttpWebhookSender.signature(secret, timestamp, request.body()));
    }
    Map<String, List<Long>> sequences = new LinkedHashMap<>();
    for (JsonNode event : delivered) {
      sequences.computeIfAbsent(event.path("sessionId").asText(), id -> new ArrayList<>()).add(event.path("sequence").asLong());
    }
    sequences.values().forEach(perConversation -> assertThat(perConversation).isSorted());
    assertThat(delivered.stream().map(event -> event.path("type").asText()).distinct())
        .contains("conversation.started", "message.received");

    JsonNode feed = agency.get("/api/v1/events").json();
    List<String> ownFeed = new ArrayList<>();
    feed.path("events").forEach(event -> {
      if (event.path("orgId").asText().equals("hooked")) {
        ownFeed.add(event.path("id").asText());
      }
    });
    assertThat(ownFeed).as("the agency's own events in the pull feed (its clients' come too)").containsExactlyInAnyOrderElementsOf(
        delivered.stream().map(event -> event.path("id").asText()).distinct().toList());
    assertThat(agency.get("/api/v1/events?after=" + feed.path("nextCursor").asText()).json().path("events")).isEmpty();

    String subscriptionId = subscribed.json().path("subscriptionId").asText();
    // The receiver has the last event before the deliverer records its answer.
    eventually(() -> {
      JsonNode log = agency.get("/api/v1/webhooks/" + subscriptionId + "/deliveries").json().path("deliveries");
      assertThat(log.findValuesAsText("status")).containsOnly("delivered");
      assertThat(log.findValues("attempts").stream().mapToInt(JsonNode::asInt).max().orElse(0)).isGreaterThan(1);
    });
  }

  @Test
  void anAgencySubscriptionReceivesItsClientsEvents() {
    assertThat(operator.post("/admin/organizations",
        "{\"id\":\"hooked-client\",\"name\":\"Client\",\"tier\":\"free\",\"parentOrgId\":\"hooked\"}").status()).isEqualTo(201);
    operator.post("/admin/agents", """
        {"agentId": "client-bot", "orgId": "hooked-client", "name": "Client bot", "doubleTexting": "queue"}
        """);
    Response subscribed = agency.post("/api/v1/webhooks",
        "{\"url\":\"" + receiver.baseUrl() + "/agency-hooks\",\"eventTypes\":[\"message.received\"]}");
    assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);

    for (String messageId : List.of("c-1", "c-2")) {
      assertThat(operator.post("/admin/conversations/inbound", "{\"orgId\":\"hooked-client\",\"agentId\":\"client-bot\","
          + "\"channel\":\"test\",\"contact\":\"client-contact\",\"messageId\":\"" + messageId + "\",\"text\":\"hello\"}").status())
          .isEqualTo(202);
    }

    eventually(() -> assertThat(receiver.requestsTo("/agency-hooks").stream().map(StubProvider.Request::json)
            .filter(event -> event.path("orgId").asText().equals("hooked-client")).map(event -> event.path("id").asLong()).distinct())
        .as("both messages of the client's conversation, at the agency's subscription").hasSize(2));
    assertThat(agency.send("DELETE", "/api/v1/webhooks/" + subscribed.json().path("subscriptionId").asText(), "").status())
        .as("unsubscribed, so the other test's deliveries are its own").isIn(200, 204);
  }

  @Test
  void aTestEventGoesSignedToTheOneSubscriptionAskedForAndShowsInItsDeliveriesNotInTheFeed() {
    Response first = agency.post("/api/v1/webhooks", "{\"url\":\"" + receiver.baseUrl() + "/tested\"}");
    Response second = agency.post("/api/v1/webhooks", "{\"url\":\"" + receiver.baseUrl() + "/untested\"}");
    String subscriptionId = first.json().path("subscriptionId").asText();

    Response queued = agency.post("/api/v1/webhooks/" + subscriptionId + "/test", "{}");

    assertThat(queued.status()).as(queued.body()).isEqualTo(202);
    eventually(() -> assertThat(receiver.requestsTo("/tested")).singleElement().satisfies(request -> {
      assertThat(request.json().path("type").asText()).isEqualTo("webhook.test");
      assertThat(request.headers()).containsKey("Layercake-Signature");
    }));
    eventually(() -> assertThat(agency.get("/api/v1/webhooks/" + subscriptionId + "/deliveries").json().path("deliveries").path(0)
        .path("status").asText()).isEqualTo("delivered"));
    assertThat(receiver.requestsTo("/untested")).as("the other subscription never sees it").isEmpty();
    assertThat(agency.get("/api/v1/events").body()).doesNotContain("webhook.test");
    assertThat(agencyOther().post("/api/v1/webhooks/" + subscriptionId + "/test", "{}").status()).isEqualTo(404);
    for (Response subscribed : List.of(first, second)) {
      agency.send("DELETE", "/api/v1/webhooks/" + subscribed.json().path("subscriptionId").asText(), "");
    }
  }

  @Test
  void badSubscriptionsAreRefused() {
    assertThat(agency.post("/api/v1/webhooks", "{\"url\":\"ftp://example.com/x\"}").status()).isEqualTo(400);
    assertThat(agency.post("/api/v1/webhooks", "{\"url\":\"https://example.com/x\",\"eventTypes\":[\"everything\"]}").status())
        .isEqualTo(400);
    assertThat(agency.get("/api/v1/webhooks/wh_unknown/deliveries").status()).isEqualTo(404);
    assertThat(agency.get("/api/v1/events?after=abc").status()).isEqualTo(400);
  }

  /** Another organization's key with every webhook right. */
  private static HttpTestClient agencyOther() {
    operator.post("/admin/organizations", "{\"id\":\"other-agency\",\"name\":\"Other\",\"tier\":\"agency\"}");
    Response key = operator.post("/admin/organizations/other-agency/api-keys", "{\"name\":\"hooks\",\"scopes\":[\"webhooks:write\"]}");
    return HttpTestClient.to(node.address()).withBearer(key.json().path("key").asText());
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }
}
