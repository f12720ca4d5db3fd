package io.layercake.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One visitor on the website chat whose agent's hosted model streams (the stub writes its pieces at a
 * fixed rate): the visitor's event stream is open, as the widget keeps it, and each message is timed
 * from its post to the first piece of the reply on the stream ({@code delta}) and to the whole,
 * recorded reply ({@code message}).
 */
final class WebchatStreamingProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String api;
  private final String agentId;

  /** Microseconds from each post to its reply's first piece, and to its whole reply. */
  record Result(int messages, int notAnswered, List<Long> firstPieceMicros, List<Long> wholeMicros) {}

  private record Event(String type, long at) {}

  WebchatStreamingProbe(String nodeBaseUrl, String agentId) {
    this.api = nodeBaseUrl + "/api/v1/webchat";
    this.agentId = agentId;
  }

  Result run(int messages) throws Exception {
    // the first message opens the visitor's session; the stream is opened with its token, as the widget does
    String token = post("Hello", null).path("sessionToken").asText();
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(api + "/events?sessionToken="
        + URLEncoder.encode(token, StandardCharsets.UTF_8))).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (stream.statusCode() != 200) {
      throw new IllegalStateException("the visitor's event stream answered " + stream.statusCode());
    }
    Thread reader = new Thread(() -> read(stream.body(), events), "webchat-stream-reader");
    reader.setDaemon(true);
    reader.start();
    awaitReply(events); // the first message's reply, if it came after the stream opened
    List<Long> first = new ArrayList<>();
    List<Long> whole = new ArrayList<>();
    int notAnswered = 0;
    try {
      for (int i = 0; i < messages; i++) {
        events.clear();
        long started = System.nanoTime();
        post("What are your opening hours? (" + i + ")", token);
        Long firstPiece = null;
        Long reply = null;
        while (reply == null) {
          Event event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          if (event == null) {
            break;
          }
          if (event.type().equals("delta") && firstPiece == null) {
            firstPiece = event.at();
          } else if (event.type().equals("message")) {
            reply = event.at();
          }
        }
        if (firstPiece == null || reply == null) {
          notAnswered++;
        } else {
          first.add((firstPiece - started) / 1000);
          whole.add((reply - started) / 1000);
        }
      }
    } finally {
      stream.body().close();
    }
    return new Result(messages, notAnswered, first, whole);
  }

  private JsonNode post(String text, String token) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("agentId", agentId).put("text", text);
    if (token != null) {
      body.put("sessionToken", token);
    }
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(api + "/message"))
        .timeout(WAIT).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    NodeAdmin.expect(response, 200);
    return JSON.readTree(response.body());
  }

  private static void awaitReply(BlockingQueue<Event> events) throws InterruptedException {
    Event event;
    do {
      event = events.poll(2, TimeUnit.SECONDS);
    } while (event != null && !event.type().equals("message"));
  }

  /** Each event's type as it arrives (the node's heartbeats carry none and are skipped). */
  private static void read(InputStream body, BlockingQueue<Event> events) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String type = "message";
      boolean data = false;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data = !line.substring(5).isBlank();
        } else if (line.isEmpty()) {
          if (data) {
            events.add(new Event(type, System.nanoTime()));
          }
          type = "message";
          data = false;
        }
      }
    } catch (java.io.IOException closed) {
      events.add(new Event("closed", System.nanoTime()));
    }
  }
}
