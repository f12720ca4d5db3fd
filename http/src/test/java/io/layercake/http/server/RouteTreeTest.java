package io.layercake.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.Secret;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.testing.HttpTestClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wrappers around every route (request log, metrics, error handling, route labels) build what
 * they wrap once. The Java DSL calls a directive's inner supplier on every request, so a wrapper that
 * passed its supplier on would rebuild the whole route tree, every page and API group, per request.
 */
class RouteTreeTest extends AllDirectives {
  private static final AtomicInteger built = new AtomicInteger();
  private static ActorTestKit testKit;
  private static HttpTestClient client;

  @BeforeAll
  static void bind() throws Exception {
    testKit = ActorTestKit.create();
    RouteTreeTest routes = new RouteTreeTest();
    RouteLabel labels = new RouteLabel();
    Route wrapped = new RequestLog().logged(() ->
        new MetricsRoutes(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Secret.of("")).measured(() ->
            new ErrorHandling(1024).wrap(() -> labels.labelled("/hello", routes::hello))));
    ServerBinding binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(wrapped)
        .toCompletableFuture().get();
    client = HttpTestClient.to(binding.localAddress());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private Route hello() {
    built.incrementAndGet();
    return path("hello", () -> get(() -> complete("hello")));
  }

  @Test
  void theTreeIsBuiltOnceAndAnswersEveryRequest() {
    for (int i = 0; i < 3; i++) {
      assertThat(client.get("/hello").body()).isEqualTo("hello");
      assertThat(client.get("/elsewhere").status()).isEqualTo(404);
    }

    assertThat(built).hasValue(1);
  }
}
