package io.layercake.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One visitor on the website chat, with nothing else running: each message is posted to
 * {@code POST /api/v1/webchat/message} once the previous one was answered, and timed until the
 * response carries the reply (the node answers inline when the turn finishes within its webchat
 * reply timeout, "accepted" otherwise). The agent is on the local model, which answers at once.
 */
final class WebchatProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI message;
  private final String agentId;

  /** Latencies in microseconds of the messages answered inline; {@code notAnswered} came back without the reply. */
  record Result(int messages, int notAnswered, List<Long> latenciesMicros) {}

  WebchatProbe(String nodeBaseUrl, String agentId) {
    this.message = URI.create(nodeBaseUrl + "/api/v1/webchat/message");
    this.agentId = agentId;
  }

  Result run(int messages) throws Exception {
    List<Long> latencies = new ArrayList<>();
    int notAnswered = 0;
    String sessionToken = null;
    for (int i = 0; i < messages; i++) {
      ObjectNode body = JSON.createObjectNode().put("agentId", agentId)
          .put("text", "What are your opening hours? (" + i + ")");
      if (sessionToken != null) {
        body.put("sessionToken", sessionToken);
      }
      long started = System.nanoTime();
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(message).timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
          .build(),
          HttpResponse.BodyHandlers.ofString());
      long elapsed = System.nanoTime() - started;
      NodeAdmin.expect(response, 200);
      JsonNode answer = JSON.readTree(response.body());
      sessionToken = answer.path("sessionToken").asText(null);
      if ("answered".equals(answer.path("status").asText()) && answer.path("replies").size() > 0) {
        latencies.add(elapsed / 1000);
      } else {
        notAnswered++;
      }
    }
    return new Result(messages, notAnswered, latencies);
  }
}
