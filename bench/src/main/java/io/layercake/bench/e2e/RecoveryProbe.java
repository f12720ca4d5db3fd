package io.layercake.bench.e2e;

import io.layercake.config.DatabaseSettings;
import io.layercake.http.LayercakeNode;
import io.layercake.http.webhooks.HubSignature;
import io.layercake.runtime.session.SessionKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How long a conversation with many messages takes to come back into memory: two written alike with
 * a snapshot every 100 events, one of which then loses its snapshots; each is asked for first thing
 * after a restart. The conversations are handed to people first, so every message is one event.
 */
final class RecoveryProbe {
  private static final int MESSAGES_PER_WEBHOOK = 100;
  private static final int RESTARTS = 3;
  private static final String NO_SNAPSHOT = "3197000000001";
  private static final String SNAPSHOTS = "3197000000002";

  private final EndToEndBenchmark benchmark;
  private final Path directory;
  private final DatabaseSettings database;
  private final StubProviders stubs;
  private final HttpClient client = HttpClient.newHttpClient();

  /** Recovery times in milliseconds, one per restart. */
  record Result(int messages, List<Double> withoutSnapshots, List<Double> withSnapshots) {}

  RecoveryProbe(EndToEndBenchmark benchmark, Path directory, DatabaseSettings database, StubProviders stubs) {
    this.benchmark = benchmark;
    this.directory = directory;
    this.database = database;
    this.stubs = stubs;
  }

  Result measure(int messages) throws Exception {
    EndToEndBenchmark.log("h2: recovery, writing two conversations of " + messages + " messages");
    String withoutSnapshots = new SessionKey(EndToEndBenchmark.agentId(0), "whatsapp", "+" + NO_SNAPSHOT).sessionId();
    String withSnapshots = new SessionKey(EndToEndBenchmark.agentId(0), "whatsapp", "+" + SNAPSHOTS).sessionId();
    LayercakeNode writer = LayercakeNode.start(benchmark.settings(directory, database, stubs, 100));
    try {
      String base = "http://127.0.0.1:" + writer.address().getPort();
      benchmark.setUp(base);
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> write(base, NO_SNAPSHOT, withoutSnapshots, messages));
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> write(base, SNAPSHOTS, withSnapshots, messages));
      CompletableFuture.allOf(first, second).join();
    } finally {
      writer.stop().toCompletableFuture().join();
    }
    forgetSnapshots(withoutSnapshots);
    List<Double> without = new ArrayList<>();
    List<Double> with = new ArrayList<>();
    for (int i = 0; i < RESTARTS; i++) {
      LayercakeNode node = LayercakeNode.start(benchmark.settings(directory, database, stubs, 100));
      String base = "http://127.0.0.1:" + node.address().getPort();
      without.add(firstAsk(base, withoutSnapshots));
      with.add(firstAsk(base, withSnapshots));
      node.stop().toCompletableFuture().join();
    }
    return new Result(messages, without, with);
  }

  /** Both conversations are written alike; one then loses its snapshots, so it recovers from the events alone. */
  private void forgetSnapshots(String sessionId) throws Exception {
    try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password().reveal());
        PreparedStatement delete = connection.prepareStatement("DELETE FROM \"snapshot\" WHERE \"persistence_id\" = ?")) {
      delete.setString(1, "Session|" + sessionId);
      delete.executeUpdate();
    }
  }

  private void write(String base, String from, String sessionId, int messages) {
    try {
      webhook(base, from, 0, 1);
      EndToEndBenchmark.expect(benchmark.send(base, "PATCH", "/admin/conversations/" + sessionId,
          "{\"action\":\"hand_off\",\"by\":\"bench\",\"reason\":\"recovery benchmark\"}"), 200);
      for (int first = 1; first < messages; first += MESSAGES_PER_WEBHOOK) {
        webhook(base, from, first, Math.min(MESSAGES_PER_WEBHOOK, messages - first));
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not write the conversation of " + from, e);
    }
  }

  /** The first ask recovers the conversation; a second one right after is the same request without recovery. */
  private double firstAsk(String base, String sessionId) throws Exception {
    long cold = timedGet(base, "/admin/conversations/" + sessionId);
    long warm = timedGet(base, "/admin/conversations/" + sessionId);
    return Math.max(0, cold - warm) / 1_000_000.0;
  }

  private long timedGet(String base, String path) throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> response = client.send(benchmark.request(base, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    long elapsed = System.nanoTime() - started;
    EndToEndBenchmark.expect(response, 200);
    return elapsed;
  }

  private void webhook(String base, String from, int first, int count) throws Exception {
    StringBuilder messages = new StringBuilder();
    for (int i = first; i < first + count; i++) {
      if (messages.length() > 0) {
        messages.append(',');
      }
      messages.append("{\"from\":\"").append(from).append("\",\"id\":\"wamid.rec-").append(from).append('-').append(i)
          .append("\",\"timestamp\":\"").append(Instant.now().getEpochSecond()).append("\",\"type\":\"text\",\"text\":{\"body\":\"message ")
          .append(i).append("\"}}");
    }
    byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"WABA\",\"changes\":[{\"field\":\"messages\",\"value\":{"
        + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"" + EndToEndBenchmark.phoneNumberId(0) + "\"},"
        + "\"messages\":[" + messages + "]}}]}]}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/whatsapp"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("X-Hub-Signature-256", HubSignature.sign(EndToEndBenchmark.APP_SECRET, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    EndToEndBenchmark.expect(response, 200);
  }
}
