package io.layercake.http.api.contract;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API and its OpenAPI document cannot drift: every documented operation is answered by its own
 * route (the metrics label proves which), with a status the document lists; a path no operation has
 * is a 404 and a known path with another method a 405; every answer of a tour through the API
 * matches its documented schema, field by field; and metrics labels stay bounded whatever is asked.
 */
class ApiContractTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final String NO_ROUTE = "The requested resource could not be found.";
  private static final Pattern ROUTE_LABEL = Pattern.compile("layercake_http_server_requests_seconds_count\\{[^}]*route=\"([^\"]*)\"");
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient api;
  private static JsonNode document;
  private static String sessionId;

  @BeforeAll
  static void start(@TempDir Path dir) {
    node = LayercakeNode.start(TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100).withAdmin(new AdminSettings(Secret.of(TOKEN))));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    operator.post("/admin/organizations", "{\"id\":\"doc\",\"name\":\"Doc\",\"tier\":\"agency\"}");
    operator.post("/admin/organizations/doc/purchases", "{\"idempotencyKey\":\"cs_doc\",\"credits\":100}");
    String scopes = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    Response key = operator.post("/admin/organizations/doc/api-keys", "{\"name\":\"all\",\"scopes\":" + scopes + "}");
    api = HttpTestClient.to(node.address()).withBearer(key.json().path("key").asText());
    document = HttpTestClient.to(node.address()).get("/api/v1/openapi.json").json();
    operator.post("/admin/agents", """
        {"agentId": "doc-bot", "orgId": "doc", "name": "Doc bot", "faq": [{"question": "When are you open?", "answer": "Nine to five."}]}
        """);
    Response inbound = operator.post("/admin/conversations/inbound", "{\"orgId\":\"doc\",\"agentId\":\"doc-bot\",\"channel\":\"test\","
        + "\"contact\":\"visitor-1\",\"messageId\":\"m-1\",\"text\":\"When are you open?\"}");
    assertThat(inbound.status()).as(inbound.body()).isEqualTo(202);
    sessionId = new SessionKey("doc-bot", "test", "visitor-1").sessionId();
    eventually(() -> assertThat(api.get("/api/v1/conversations/" + sessionId + "/messages").json().path("messages")).hasSize(2));
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void everyDocumentedOperationIsAnsweredByItsRouteWithADocumentedStatus() {
    List<String> problems = new ArrayList<>();
    int operations = 0;
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
        Map.Entry<String, JsonNode> method = methods.next();
        operations++;
        String url = "/api/v1" + path.getKey().replaceAll("\\{[^}]+}", "unknown-id")
            + (path.getKey().equals("/webchat/events") || path.getKey().equals("/webchat/history") ? "?sessionToken=unknown" : "");
        Response response = method.getKey().equals("get") ? api.get(url) : api.send(method.getKey().toUpperCase(), url, "{}");
        Set<String> documented = new TreeSet<>();
        method.getValue().path("responses").fieldNames().forEachRemaining(documented::add);
        if (response.status() == 405 || response.body().contains(NO_ROUTE)) {
          problems.add(method.getKey().toUpperCase() + " " + path.getKey() + " is not routed: " + response.status());
        } else if (!documented.contains(Integer.toString(response.status()))) {
          problems.add(method.getKey().toUpperCase() + " " + path.getKey() + " answered " + response.status() + " "
              + response.body() + ", documented " + documented);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(operations).isEqualTo(ApiOperation.values().length).isGreaterThanOrEqualTo(45);
    Set<String> labels = routeLabels();
    for (ApiOperation operation : ApiOperation.values()) {
      assertThat(labels).as("the metrics label of " + operation.id()).contains(operation.route());
    }
  }

  @Test
  void pathsNoOperationHasAre404AndOtherMethods405() {
    Response unknown = api.get("/api/v1/conversationz");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").path("code").asText()).isEqualTo("not_found");
    assertThat(unknown.json().path("error").path("message").asText()).contains("no operation GET /api/v1/conversationz");
    assertThat(api.get("/api/v1/conversations/" + sessionId + "/nothing").status()).isEqualTo(404);
    assertThat(HttpTestClient.to(node.address()).get("/api/v1/conversationz").status()).as("the key is checked first").isEqualTo(401);
    assertThat(api.send("DELETE", "/api/v1/conversations", "").status()).isEqualTo(405);
    assertThat(api.send("PUT", "/api/v1/credits", "{}").status()).isEqualTo(405);
  }

  @Test
  void theDocumentIsReadable() {
    Set<String> ids = new HashSet<>();
    Set<String> tags = new TreeSet<>();
    document.path("tags").forEach(tag -> tags.add(tag.path("name").asText()));
    for (JsonNode path : document.path("paths")) {
      for (JsonNode operation : path) {
        String id = operation.path("operationId").asText();
        assertThat(id).matches("[a-z][A-Za-z]+");
        assertThat(ids.add(id)).as("operation ids are unique: " + id).isTrue();
        assertThat(operation.path("summary").asText()).isNotBlank();
        assertThat(tags).contains(operation.path("tags").get(0).asText());
        operation.path("responses").forEach(response -> assertThat(response.path("description").asText()).isNotBlank());
      }
    }
    assertThat(ids).contains("listConversations", "sendMessage", "retagDocument", "getConversationTimeline");
    assertThat(new TreeSet<>(document.path("paths").findValuesAsText("x-scope"))).isEqualTo(new TreeSet<>(Scopes.ALL));
    JsonNode messages = document.path("paths").path("/conversations/{sessionId}/messages").path("get");
    assertThat(messages.path("parameters").findValuesAsText("name")).contains("sessionId", "before", "after", "limit");
    JsonNode change = document.at("/components/schemas/ChangeBody/properties/action");
    assertThat(change.path("enum").toString()).isEqualTo("[\"close\",\"reopen\",\"hand_off\",\"hand_back\"]");
    assertThat(document.at("/paths/~1knowledge~1documents~1{documentId}/patch/responses/200").isMissingNode()).isFalse();
    assertThat(document.at("/paths/~1conversations~1{sessionId}/get/responses/304").isMissingNode()).isFalse();
    assertThat(document.at("/paths/~1conversations~1{sessionId}~1messages/post/responses/202").isMissingNode()).isFalse();
  }

  @Test
  void everyBodyAndAnswerHasAnExampleItsSchemaAllows() {
    ResponseSchemas schemas = new ResponseSchemas(document);
    List<String> problems = new ArrayList<>();
    int examples = 0;
    for (JsonNode path : document.path("paths")) {
      for (JsonNode operation : path) {
        JsonNode json = operation.path("requestBody").path("content").path("application/json");
        if (json.isMissingNode()) {
          continue;
        }
        String id = operation.path("operationId").asText();
        if (!json.has("example")) {
          problems.add(id + " has no example");
          continue;
        }
        examples++;
        problems.addAll(schemas.problems(schemas.requestSchema(id), json.path("example"), id));
      }
    }
    assertThat(problems).isEmpty();
    assertThat(examples).isGreaterThanOrEqualTo(14);
    int answers = 0;
    for (JsonNode path : document.path("paths")) {
      for (JsonNode operation : path) {
        String id = operation.path("operationId").asText();
        JsonNode json = schemas.successContent(id);
        if (json.isMissingNode() || id.equals("getOpenApiDocument")) {
          continue;
        }
        if (!json.has("example")) {
          problems.add(id + " has no example answer");
          continue;
        }
        answers++;
        problems.addAll(schemas.problems(id, json.path("example")));
      }
    }
    assertThat(problems).isEmpty();
    assertThat(answers).isGreaterThanOrEqualTo(40);
    JsonNode example = document.at("/paths/~1agents/post/requestBody/content/application~1json/example");
    Response created = api.post("/api/v1/agents", example.toString().replace("schmidt-sanitaer", "doc").replace("schmidt-bot", "example-bot"));
    assertThat(created.status()).as("the createAgent example works as written: " + created.body()).isEqualTo(201);
  }

  @Test
  void answersMatchTheirDocumentedSchemas() {
    ResponseSchemas schemas = new ResponseSchemas(document);
    Map<String, Response> tour = new java.util.LinkedHashMap<>();
    tour.put("createClient", api.post("/api/v1/organizations/children", "{\"id\":\"doc-client\",\"name\":\"Plumber\"}"));
    tour.put("listClients", api.get("/api/v1/organizations/children"));
    tour.put("getClient", api.get("/api/v1/organizations/children/doc-client"));
    tour.put("renameClient", api.send("PATCH", "/api/v1/organizations/children/doc-client", "{\"name\":\"Plumber & Sons\"}"));
    tour.put("createAgent", api.post("/api/v1/agents", "{\"agentId\":\"doc-client-bot\",\"orgId\":\"doc-client\",\"name\":\"Plumber bot\"}"));
    tour.put("listAgents", api.get("/api/v1/agents"));
    tour.put("importAgent", api.post("/api/v1/agents/imports",
        "{\"bundleId\":\"doc-import\",\"agent\":{\"agentId\":\"doc-imported-bot\",\"name\":\"Imported\"}}"));
    tour.put("getAgent", api.get("/api/v1/agents/doc-bot"));
    tour.put("bindChannel", api.post("/api/v1/agents/doc-client-bot/channels", "{\"channel\":\"webchat\",\"address\":\"doc-client-site\"}"));
    tour.put("setDefaultCountry", api.send("PUT", "/api/v1/channels/default-country", "{\"country\":\"NL\"}"));
    tour.put("listChannels", api.get("/api/v1/channels"));
    tour.put("connectWhatsapp", api.send("PUT", "/api/v1/channels/whatsapp", "{\"accessToken\":\"EAAG-test-token\"}"));
    tour.put("setSmsSender", api.send("PUT", "/api/v1/channels/sms/sender", "{\"senderId\":\"Schmidt\"}"));
    Response uploaded = api.post("/api/v1/knowledge/documents", "{\"title\":\"Prices\",\"tags\":[\"plumbing\"],\"text\":\"Call-out EUR 65.\"}");
    tour.put("uploadDocument", uploaded);
    String documentId = uploaded.json().path("id").asText();
    tour.put("listDocuments", api.get("/api/v1/knowledge/documents"));
    tour.put("getDocument", api.get("/api/v1/knowledge/documents/" + documentId));
    tour.put("retagDocument", api.send("PATCH", "/api/v1/knowledge/documents/" + documentId, "{\"tags\":[\"prices\"]}"));
    tour.put("listConversations", api.get("/api/v1/conversations"));
    tour.put("getConversation", api.get("/api/v1/conversations/" + sessionId));
    tour.put("listMessages", api.get("/api/v1/conversations/" + sessionId + "/messages?limit=1"));
    tour.put("getConversationTimeline", api.get("/api/v1/conversations/" + sessionId + "/timeline"));
    tour.put("changeConversation", api.send("PATCH", "/api/v1/conversations/" + sessionId, "{\"action\":\"hand_off\",\"reason\":\"check\"}"));
    tour.put("sendMessage", api.post("/api/v1/conversations/" + sessionId + "/messages", "{\"text\":\"A person here.\",\"author\":\"Ann\"}"));
    tour.put("listApprovals", api.get("/api/v1/approvals"));
    tour.put("assignConversation", api.send("PUT", "/api/v1/conversations/" + sessionId + "/assignee", "{\"userId\":null}"));
    tour.put("addNote", api.post("/api/v1/conversations/" + sessionId + "/notes", "{\"text\":\"Prefers mornings.\"}"));
    tour.put("listNotes", api.get("/api/v1/conversations/" + sessionId + "/notes"));
    Response cannedReply = api.post("/api/v1/canned-replies", "{\"title\":\"Hours\",\"text\":\"Nine to five.\"}");
    tour.put("createCannedReply", cannedReply);
    tour.put("listCannedReplies", api.get("/api/v1/canned-replies"));
    tour.put("deleteCannedReply", api.send("DELETE", "/api/v1/canned-replies/" + cannedReply.json().path("replyId").asText(), ""));
    tour.put("listLeads", api.get("/api/v1/leads"));
    tour.put("listBookingRequests", api.get("/api/v1/booking-requests"));
    tour.put("listEvents", api.get("/api/v1/events"));
    tour.put("listWebhooks", api.get("/api/v1/webhooks"));
    tour.put("getCredits", api.get("/api/v1/credits"));
    tour.put("getCreditUsage", api.get("/api/v1/credits/usage?groupBy=day"));
    tour.put("listCreditTransactions", api.get("/api/v1/credits/transactions"));
    Response createdKey = api.post("/api/v1/api-keys", "{\"name\":\"dashboard\",\"scopes\":[\"credits:read\"]}");
    tour.put("createApiKey", createdKey);
    tour.put("listApiKeys", api.get("/api/v1/api-keys"));
    tour.put("revokeApiKey", api.send("DELETE", "/api/v1/api-keys/" + createdKey.json().path("apiKey").path("keyId").asText(), ""));
    tour.put("getWebchatConfig", HttpTestClient.to(node.address()).get("/api/v1/webchat/config/doc-bot"));
    tour.put("archiveAgent", api.send("DELETE", "/api/v1/agents/doc-client-bot", ""));

    List<String> problems = new ArrayList<>();
    tour.forEach((operationId, response) -> {
      if (response.status() / 100 != 2) {
        problems.add(operationId + " answered " + response.status() + " " + response.body());
      } else {
        problems.addAll(schemas.problems(operationId, response.json()));
      }
    });
    assertThat(problems).isEmpty();
    assertThat(tour.get("listEvents").json().path("events")).as("the tour saw events, so their schema was checked").isNotEmpty();
    assertThat(tour.get("listMessages").json().path("messages")).isNotEmpty();
  }

  @Test
  void metricsLabelsStayBoundedWhateverIsAsked() {
    HttpTestClient stranger = HttpTestClient.to(node.address());
    for (int i = 0; i < 1_000; i++) {
      switch (i % 4) {
        case 0 -> stranger.get("/wp-login-" + i + ".php");
        case 1 -> api.get("/api/v1/random-" + i);
        case 2 -> stranger.get("/admin/organizations/tenant-" + i);
        default -> api.get("/api/v1/conversations/tenant-" + i);
      }
    }
    Set<String> labels = routeLabels();
    assertThat(labels).allSatisfy(label -> assertThat(label).doesNotContain("wp-login", "random-", "tenant-"));
    assertThat(labels).contains("unmatched", "/admin/**", "/api/v1/conversations/{sessionId}");
    assertThat(labels.size()).as(labels.toString()).isLessThanOrEqualTo(ApiOperation.values().length + 12);
  }

  @Test
  void theGrafanaDashboardQueriesMetricsTheNodeServes() throws java.io.IOException {
    JsonNode dashboard = io.layercake.http.server.Json.MAPPER.readTree(
        java.nio.file.Files.readString(Path.of("..", "deploy", "grafana", "layercake-dashboard.json")));
    Set<String> queried = new TreeSet<>();
    Matcher names = Pattern.compile("\\b((?:layercake|jvm|process|hikaricp)_[a-z_]+)\\{").matcher(dashboard.findValuesAsText("expr").toString());
    while (names.find()) {
      queried.add(names.group(1));
    }
    api.get("/api/v1/conversations");
    String scraped = HttpTestClient.to(node.address()).get("/metrics").body();
    // GC pauses and webhook deliveries are series once the first one has happened
    Set<String> afterTheirFirstEvent = Set.of("jvm_gc_pause_seconds_sum", "layercake_webhook_deliveries_total");

    assertThat(queried).hasSizeGreaterThanOrEqualTo(15);
    assertThat(queried).allSatisfy(name -> assertThat(afterTheirFirstEvent.contains(name)
        || scraped.contains("\n" + name + "{") || scraped.contains("\n" + name + " ")).as(name + " is served").isTrue());
  }

  @Test
  void projectionLagIsMeasuredPerProjectionAndSettlesAtZero() {
    Pattern lag = Pattern.compile("layercake_projection_lag_events\\{projection=\"([^\"]+)\",tag=\"([^\"]+)\"} (\\S+)");
    eventually(() -> {
      Matcher rows = lag.matcher(HttpTestClient.to(node.address()).get("/metrics").body());
      Set<String> projections = new TreeSet<>();
      while (rows.find()) {
        projections.add(rows.group(1));
        assertThat(Double.parseDouble(rows.group(3))).as(rows.group(1) + " " + rows.group(2) + " is caught up").isZero();
      }
      assertThat(projections).contains("conversations");
    });
  }

  private static Set<String> routeLabels() {
    Matcher labels = ROUTE_LABEL.matcher(HttpTestClient.to(node.address()).get("/metrics").body());
    Set<String> found = new TreeSet<>();
    while (labels.find()) {
      found.add(labels.group(1));
    }
    return found;
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      assertion.run();
      return null;
    });
  }
}
