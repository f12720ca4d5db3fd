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
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.OutgoingConnection;
import org.apache.pekko.http.javadsl.OutgoingConnectionBuilder;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Posts webhook events to agencies: the body is {@code {id, type, orgId, sessionId, sequence,
 * createdAt, data}}; {@code Layercake-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body" with the subscription's secret>} lets the receiver check it and reject replays.
 *
 * <p>Before every delivery the URL is checked again by {@link WebhookTargets} (scheme, and every address its host
 * resolves to now), and the connection goes to exactly the address that was checked: the JDK HttpClient cannot be
 * given an address to connect to (it resolves the URL's host itself, so a second DNS answer could differ), so this
 * uses a one-off Pekko HTTP connection whose {@link ClientTransport#withCustomResolver transport resolver} answers
 * the checked address. The request keeps the original {@code Host} header, and TLS uses the original host name for
 * SNI and certificate verification. Redirects are not followed. A refused URL fails the delivery with
 * {@link WebhookSender.RefusedTarget}, which the deliverer records as given up with the reason.
 */
public final class HttpWebhookSender implements WebhookSender {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClassicActorSystemProvider system;
  private final WebhookTargets targets;
  private final Executor resolverExecutor;
  private final Duration timeout;
  private final Clock clock;
  private final ClientConnectionSettings connectionSettings;

  /** {@code resolverExecutor} runs the (blocking) DNS lookups. */
  public HttpWebhookSender(
      ClassicActorSystemProvider system, WebhookTargets targets, Executor resolverExecutor, Duration timeout,
      Clock clock) {
    this.system = system;
    this.targets = targets;
    this.resolverExecutor = resolverExecutor;
    this.timeout = timeout;
    this.clock = clock;
    this.connectionSettings = ClientConnectionSettings.create(system.classicSystem()).withConnectingTimeout(timeout);
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
    ClientConnectionSettings connection = connectionSettings.withTransport(
        ClientTransport.withCustomResolver((host, port) -> CompletableFuture.completedFuture(target.address())));
    OutgoingConnectionBuilder builder = Http.get(system).connectionTo(target.host()).toPort(target.port())
        .withClientConnectionSettings(connection);
    Flow<HttpRequest, HttpResponse, CompletionStage<OutgoingConnection>> flow =
        target.https() ? builder.https() : builder.http();
    String rawPath = target.uri().getRawPath();
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    String pathAndQuery = target.uri().getRawQuery() == null ? path : path + "?" + target.uri().getRawQuery();
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request = HttpRequest.POST(pathAndQuery)
        .withEntity(ContentTypes.APPLICATION_JSON, body)
        .addHeader(RawHeader.create("Layercake-Event-Id", Long.toString(delivery.event().eventId())))
        .addHeader(RawHeader.create("Layercake-Signature", signature(delivery.secret(), timestamp, body)));
    return Source.single(request).via(flow).initialTimeout(timeout).runWith(Sink.head(), system)
        .thenCompose(response -> response.discardEntityBytes(system).completionStage()
            .thenApply(done -> response.status().intValue()));
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
