package io.layercake.http.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layercake.config.Secret;
import io.layercake.http.webhooks.HubSignature;
import io.layercake.runtime.notify.WebhookSender;
import io.layercake.runtime.notify.Webhooks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Posts webhook events to agencies: the body is {@code {id, type, orgId, sessionId, sequence,
 * createdAt, data}}; {@code Layercake-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body" with the subscription's secret>} lets the receiver check it and reject replays.
 */
public final class HttpWebhookSender implements WebhookSender {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;
  private final Clock clock;

  public HttpWebhookSender(HttpClient client, Duration timeout, Clock clock) {
    this.client = client;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Integer> post(Webhooks.DueDelivery delivery) {
    String body;
    try {
      body = body(delivery.event());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Layercake-Event-Id", Long.toString(delivery.event().eventId()))
        .header("Layercake-Signature", signature(delivery.secret(), timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
  }

  static String body(Webhooks.FeedEvent event) throws IOException {
    ObjectNode body = JSON.createObjectNode()
        .put("id", event.eventId())
        .put("type", event.type())
        .put("orgId", event.orgId())
        .put("sessionId", event.sessionId())
        .put("sequence", event.sequence())
        .put("createdAt", event.createdAt().toString());
    body.set("data", JSON.readTree(event.payload()));
    return body.toString();
  }

  public static String signature(String secret, long timestamp, String body) {
    return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(
        HubSignature.hmac(Secret.of(secret), (timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }
}
