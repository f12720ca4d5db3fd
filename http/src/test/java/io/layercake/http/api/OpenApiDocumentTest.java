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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document at {@code /api/v1/openapi.json} describes routes that exist: every path and
 * method it names is answered by a route (with unknown ids: a 4xx from the route itself, never the
 * router's "no such resource" or "method not allowed"), and it names every scope the API checks.
 */
class OpenApiDocumentTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final String NO_ROUTE = "The requested resource could not be found.";
  private static LayercakeNode node;
  private static HttpTestClient api;

  @BeforeAll
  static void start(@TempDir Path dir) {
    node = LayercakeNode.start(TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100).withAdmin(new AdminSettings(Secret.of(TOKEN))));
    HttpTestClient operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    operator.post("/admin/organizations", "{\"id\":\"doc\",\"name\":\"Doc\",\"tier\":\"pro\"}");
    Response key = operator.post("/admin/organizations/doc/api-keys", "{\"name\":\"all\",\"scopes\":" + allScopes() + "}");
    api = HttpTestClient.to(node.address()).withBearer(key.json().path("key").asText());
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void everyDescribedOperationIsARoute() {
    JsonNode document = HttpTestClient.to(node.address()).get("/api/v1/openapi.json").json();
    assertThat(document.path("openapi").asText()).startsWith("3.");
    List<String> missing = new ArrayList<>();
    int operations = 0;
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        operations++;
        String url = "/api/v1" + path.getKey().replaceAll("\\{[^}]+}", "unknown-id")
            + (path.getKey().startsWith("/webchat/events") || path.getKey().startsWith("/webchat/history") ? "?sessionToken=unknown" : "");
        Response response = method.equals("get") ? api.get(url) : api.send(method.toUpperCase(), url, "{}");
        boolean routed = response.status() != 405 && !(response.status() == 404 && response.body().contains(NO_ROUTE));
        if (!routed) {
          missing.add(method.toUpperCase() + " " + path.getKey() + " -> " + response.status() + " " + response.body());
        }
      }
    }
    assertThat(missing).isEmpty();
    assertThat(operations).isGreaterThanOrEqualTo(40);
  }

  @Test
  void theDocumentNamesEveryScope() {
    JsonNode document = HttpTestClient.to(node.address()).get("/api/v1/openapi.json").json();
    Set<String> described = new java.util.TreeSet<>(document.path("paths").findValuesAsText("x-scope"));
    assertThat(described).containsAll(Set.of("conversations:read", "conversations:write", "agents:read", "agents:write",
        "knowledge:read", "knowledge:write", "credits:read", "webhooks:write", "organizations:read", "organizations:write",
        "approvals:write", "keys:write"));
  }

  @Test
  void theMessagesOperationDescribesBothDirections() {
    JsonNode document = HttpTestClient.to(node.address()).get("/api/v1/openapi.json").json();
    JsonNode messages = document.path("paths").path("/conversations/{sessionId}/messages").path("get");

    assertThat(messages.path("parameters").findValuesAsText("name")).contains("before", "after", "limit");
    JsonNode page = messages.path("responses").path("200").path("content").path("application/json").path("schema");
    assertThat(page.path("properties").fieldNames()).toIterable().contains("messages", "hasMore", "nextBefore", "nextAfter");
    assertThat(document.path("components").path("schemas").path("Message").path("properties").has("sequence")).isTrue();
  }

  private static String allScopes() {
    return "[\"conversations:read\",\"conversations:write\",\"agents:read\",\"agents:write\",\"knowledge:read\","
        + "\"knowledge:write\",\"credits:read\",\"billing:write\",\"webhooks:write\",\"organizations:read\","
        + "\"organizations:write\",\"approvals:write\",\"keys:write\"]";
  }
}
