package io.layercake.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.Secret;
import io.layercake.http.errors.ErrorHandling;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The wrappers every request goes through (request log, metrics, error handling, route labels)
 * build what they wrap once, not again for each request: the Java DSL calls a directive's inner
 * supplier per request, which rebuilt the node's whole route tree for every webhook.
 */
class RoutesBuiltOnceTest extends AllDirectives {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void theWrappedTreeIsBuiltOnceAndAnswersEveryRequest() throws Exception {
    AtomicInteger built = new AtomicInteger();
    MetricsRoutes metrics = new MetricsRoutes(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Secret.of(""));
    Route tree = new RequestLog().logged(() -> metrics.measured(() -> new ErrorHandling(1024).wrap(() ->
        new RouteLabel().labelled("/hello", () -> {
          built.incrementAndGet();
          return path("hello", () -> complete("hi"));
        }))));
    Function<HttpRequest, CompletionStage<HttpResponse>> handler = tree.handler(testKit.system());

    for (int i = 0; i < 3; i++) {
      HttpResponse answer = handler.apply(HttpRequest.GET("/hello")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(answer.status().intValue()).isEqualTo(200);
      assertThat(answer.getHeader(RequestLog.HEADER)).as("the request log's id").isPresent();
      assertThat(RouteLabel.of(answer)).isEqualTo("/hello");
    }
    HttpResponse missing = handler.apply(HttpRequest.GET("/elsewhere")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(missing.status().intValue()).as("a rejection answered by the error handling").isEqualTo(404);

    assertThat(built.get()).as("times the inner route was built for four requests").isEqualTo(1);
  }
}
