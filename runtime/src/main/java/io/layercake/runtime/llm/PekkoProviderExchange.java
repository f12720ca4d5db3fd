package io.layercake.runtime.llm;

import dev.langchain4j.http.client.HttpRequest;
import io.layercake.runtime.concurrent.Stages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;

/**
 * Model calls through Pekko HTTP's client: a call in flight holds a pooled connection, not a thread
 * (the JDK client's {@code sendAsync} completes on the common pool, a new thread per call on a
 * 2-core machine; its {@code send} holds the caller's thread for the whole call).
 */
public final class PekkoProviderExchange implements ProviderExchange {
  private static final ContentType JSON = ContentTypes.APPLICATION_JSON;
  private static final Duration KEEP_IDLE = Duration.ofSeconds(10);

  private final Http http;
  private final ConnectionPoolSettings pool;
  private final Materializer materializer;
  private final LoggingAdapter log;

  /**
   * {@code connections}: per provider host, the calls in flight at once; {@code connectTimeout}: to
   * open one; {@code idleTimeout}: how long a connection may stay silent (a call's own timeout ends
   * the wait for it sooner; this frees the connection of an answer nobody waits for any more).
   */
  public PekkoProviderExchange(ClassicActorSystemProvider system, int connections, Duration connectTimeout,
      Duration idleTimeout) {
    this.http = Http.get(system.classicSystem());
    this.materializer = Materializer.matFromSystem(system);
    this.log = Logging.getLogger(system.classicSystem(), PekkoProviderExchange.class);
    this.pool = ConnectionPoolSettings.create(system.classicSystem())
        .withMaxConnections(connections)
        // requests beyond the connections wait in the pool: room for all of them, as a power of two
        .withMaxOpenRequests(Integer.highestOneBit(Math.max(1, connections * 2 - 1)) * 2)
        // a POST is not retried: the provider may have answered (and charged) the first
        .withMaxRetries(0)
        // a burst's connections do not stay open after it (OpenAI's own Python client keeps idle ones 5 s)
        .withKeepAliveTimeout(KEEP_IDLE)
        .withConnectionSettings(ClientConnectionSettings.create(system.classicSystem())
            .withConnectingTimeout(connectTimeout)
            .withIdleTimeout(idleTimeout));
  }

  @Override
  public CompletionStage<Response> send(HttpRequest request, Duration timeout) {
    org.apache.pekko.http.javadsl.model.HttpRequest outgoing;
    try {
      outgoing = outgoing(request);
    } catch (RuntimeException malformed) {
      // a header value the model builder made from our settings (the API key, the base URL): never quoted back
      return CompletableFuture.failedFuture(new ProviderHttpClient.ProviderHttpException(400,
          "the request to the provider is malformed (check the base URL and key)", null));
    }
    // Pekko's stages run a callback without an executor on the common pool (a new thread per callback on
    // 2 cores): each stage here names the thread that completed the one before, and the caller gets a plain future
    CompletableFuture<Response> answered = new CompletableFuture<>();
    http.singleRequest(outgoing, http.defaultClientHttpsContext(), pool, log).whenCompleteAsync((response, failed) -> {
      if (failed != null) {
        answered.completeExceptionally(unreachable(failed));
        return;
      }
      response.entity().toStrict(timeout.toMillis(), materializer).whenCompleteAsync((entity, unread) -> {
        if (unread != null) {
          answered.completeExceptionally(unreachable(unread));
        } else {
          answered.complete(new Response(response.status().intValue(), headers(response), entity.getData().utf8String()));
        }
      }, Stages.SAME_THREAD);
    }, Stages.SAME_THREAD);
    return answered;
  }

  private static org.apache.pekko.http.javadsl.model.HttpRequest outgoing(HttpRequest request) {
    ContentType contentType = JSON;
    List<HttpHeader> headers = new ArrayList<>();
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      String name = header.getKey();
      for (String value : header.getValue()) {
        if (name.equalsIgnoreCase("Content-Type")) {
          contentType = ContentTypes.parse(value);
        } else if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Host")) {
          headers.add(RawHeader.create(name, value));
        }
      }
    }
    org.apache.pekko.http.javadsl.model.HttpRequest outgoing = org.apache.pekko.http.javadsl.model.HttpRequest
        .create(request.url())
        .withMethod(HttpMethods.lookup(request.method().name()).orElseThrow())
        .addHeaders(headers);
    return request.body() == null ? outgoing
        : outgoing.withEntity(contentType, org.apache.pekko.util.ByteString.fromString(request.body(), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Map<String, List<String>> headers(HttpResponse response) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpHeader header : response.getHeaders()) {
      headers.computeIfAbsent(header.name(), name -> new ArrayList<>(1)).add(header.value());
    }
    return headers;
  }

  /** No response at all: the type only (a connection error's text may name the request). */
  private static Throwable unreachable(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof ProviderHttpClient.ProviderHttpException || cause instanceof java.util.concurrent.TimeoutException) {
      return cause;
    }
    return new ProviderHttpClient.ProviderHttpException(503, "provider unreachable: " + cause.getClass().getSimpleName(), null);
  }
}
