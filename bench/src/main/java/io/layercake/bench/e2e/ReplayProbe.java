package io.layercake.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A replay of the closed loop's recorded conversations against a candidate on the local model,
 * nothing else running: started through the REST API, followed until done, timed from the request
 * to the last turn recorded, with the node's CPU over that time.
 */
final class ReplayProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration POLL = Duration.ofMillis(200);

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String apiKey;

  /** {@code turns} re-run in {@code elapsed}; {@code cpuNanos}: the node's CPU meanwhile; {@code notDone}: turns skipped or failed. */
  record Result(int conversations, int turns, int notDone, Duration elapsed, long cpuNanos) {
    double turnsPerSecond() {
      return turns / (elapsed.toNanos() / 1e9);
    }

    double cpuMillisPerTurn() {
      return cpuNanos / 1e6 / Math.max(1, turns);
    }
  }

  ReplayProbe(String nodeBaseUrl, String apiKey) {
    this.base = nodeBaseUrl + "/api/v1";
    this.apiKey = apiKey;
  }

  /** Empty when the node has no replays (an older node measured for comparison). */
  java.util.Optional<Result> run(NodeProcess node, String agentId, int conversations, Duration within) throws Exception {
    long cpuBefore = node.cpuNanos();
    long started = System.nanoTime();
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/agents/" + agentId + "/replays"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"filter\": {\"limit\": " + conversations + "}, \"candidate\": {\"model\":"
            + " {\"provider\": \"local\", \"model\": \"local\", \"temperature\": 0}}, \"budget\": 1000000}")));
    if (created.statusCode() == 404) { // the agent exists: the node has no such route
      return java.util.Optional.empty();
    }
    NodeAdmin.expect(created, 202);
    String replayId = JSON.readTree(created.body()).path("replayId").asText();
    JsonNode replay = finished(agentId, replayId, within);
    long elapsed = System.nanoTime() - started;
    JsonNode progress = replay.path("progress");
    return java.util.Optional.of(new Result(conversations, progress.path("total").asInt(), progress.path("skipped").asInt() + progress.path("failed").asInt(),
        Duration.ofNanos(elapsed), node.cpuNanos() - cpuBefore));
  }

  /** The replay once done, its progress read every {@link #POLL} on a timer (as a dashboard's poll); fails after {@code within}. */
  private JsonNode finished(String agentId, String replayId, Duration within) throws Exception {
    URI path = URI.create(base + "/agents/" + agentId + "/replays/" + replayId + "?limit=1");
    java.util.concurrent.CompletableFuture<JsonNode> done = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      timer.scheduleWithFixedDelay(() -> {
        try {
          HttpResponse<String> read = send(HttpRequest.newBuilder(path).GET());
          NodeAdmin.expect(read, 200);
          JsonNode replay = JSON.readTree(read.body()).path("replay");
          if (replay.path("status").asText().equals("done")) {
            done.complete(replay);
          }
        } catch (Exception e) {
          done.completeExceptionally(e);
        }
      }, POLL.toMillis(), POLL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return done.get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the replay " + replayId + " did not finish within " + within, e);
    } finally {
      timer.shutdownNow();
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
