package io.layercake.http.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layercake.config.Secret;
import io.layercake.http.webhooks.HubSignature;
import io.layercake.runtime.notify.WebhookSender;
import io.layercake.runtime.notify.Webhooks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Posts webhook events to agencies: the body is {@code {id, type, orgId, sessionId, sequence,
 * createdAt, data}}; {@code Layercake-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body" with the subscription's secret>} lets the receiver check it and reject replays.
 *
 * <p>Before every delivery the URL is checked again by {@link WebhookTargets} (scheme, and every address its host
 * resolves to now), and the connection goes to exactly the address that was checked ({@link PinnedConnection}).
 * A refused URL fails the delivery with {@link WebhookSender.RefusedTarget}, which the deliverer records as given up
 * with the reason.
 */
public final class HttpWebhookSender implements WebhookSender {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebhookTargets targets;
  private final Executor resolverExecutor;
  private final Duration timeout;
  private final Clock clock;
  private final PinnedConnection connection;

  /** {@code resolverExecutor} runs the (blocking) DNS lookups. */
  public HttpWebhookSender(
      ClassicActorSystemProvider system, WebhookTargets targets, Executor resolverExecutor, Duration timeout,
      Clock clock) {
    this.targets = targets;
    this.resolverExecutor = resolverExecutor;
    this.timeout = timeout;
    this.clock = clock;
    this.connection = new PinnedConnection(system, timeout);
  }

  @Override
  public CompletionStage<Integer> post(Webhooks.DueDelivery delivery) {
    String body;
    try {
      body = body(delivery.event());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.supplyAsync(() -> targets.check(delivery.url()), resolverExecutor)
        .thenCompose(target -> send(target, delivery, body));
  }

  private CompletionStage<Integer> send(WebhookTargets.Target target, Webhooks.DueDelivery delivery, String body) {
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request = HttpRequest.POST(PinnedConnection.pathAndQuery(target))
        .withEntity(ContentTypes.APPLICATION_JSON, body)
        .addHeader(RawHeader.create("Layercake-Event-Id", Long.toString(delivery.event().eventId())))
        .addHeader(RawHeader.create("Layercake-Signature", signature(delivery.secret(), timestamp, body)));
    return connection.send(target, request).thenApply(PinnedConnection.Answer::status);
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
