package io.layercake.http.providers;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.OutgoingConnection;
import org.apache.pekko.http.javadsl.OutgoingConnectionBuilder;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * One request to a URL a tenant named, over a one-off Pekko HTTP connection to exactly the address
 * {@link WebhookTargets} checked: the JDK HttpClient resolves the host itself (a second DNS answer
 * could differ), so its transport resolver answers the checked address. The request keeps the
 * original {@code Host}, TLS uses the original host name for SNI and certificate verification, and
 * redirects are not followed.
 */
final class PinnedConnection {
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final ClassicActorSystemProvider system;
  private final Duration timeout;
  private final ClientConnectionSettings connectionSettings;

  PinnedConnection(ClassicActorSystemProvider system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
    this.connectionSettings = ClientConnectionSettings.create(system.classicSystem()).withConnectingTimeout(timeout);
  }

  /** The status and (at most 64 kB of) body the target answered. */
  record Answer(int status, String body) {}

  /** {@code request}'s URI is the path and query only; the target gives host, port and scheme. */
  CompletionStage<Answer> send(WebhookTargets.Target target, HttpRequest request) {
    ClientConnectionSettings connection = connectionSettings.withTransport(
        ClientTransport.withCustomResolver((host, port) -> java.util.concurrent.CompletableFuture.completedFuture(target.address())));
    OutgoingConnectionBuilder builder = Http.get(system).connectionTo(target.host()).toPort(target.port())
        .withClientConnectionSettings(connection);
    Flow<HttpRequest, HttpResponse, CompletionStage<OutgoingConnection>> flow = target.https() ? builder.https() : builder.http();
    return Source.single(request).via(flow).initialTimeout(timeout).runWith(Sink.head(), system)
        .thenCompose(response -> response.entity().withSizeLimit(MAX_ANSWER_BYTES).toStrict(timeout.toMillis(), system)
            .thenApply(strict -> new Answer(response.status().intValue(), strict.getData().utf8String())));
  }

  /** The path and query of a checked target, as a request line wants them. */
  static String pathAndQuery(WebhookTargets.Target target) {
    String rawPath = target.uri().getRawPath();
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    return target.uri().getRawQuery() == null ? path : path + "?" + target.uri().getRawQuery();
  }

  static ByteString bytes(byte[] body) {
    return ByteString.fromArray(body);
  }
}
