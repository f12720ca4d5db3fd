package io.layercake.http.server;

import io.layercake.config.Secret;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.runtime.metrics.RuntimeMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics} in the Prometheus text format, for callers on loopback or presenting the
 * metrics token; and {@code layercake_http_server_requests_seconds}, a histogram of every request by
 * method, route template ({@link RouteLabel}: never an id, {@code unmatched} when no route answered)
 * and status.
 */
public final class MetricsRoutes extends AllDirectives {
  private static final String BEARER = "Bearer ";
  private static final Duration[] LATENCY_BUCKETS = RuntimeMetrics.LATENCY_BUCKETS.toArray(Duration[]::new);

  private final PrometheusMeterRegistry registry;
  private final Secret token;
  /** Few: methods × route templates × statuses (templates never hold an id). */
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  private record TimerKey(String method, String route, int status) {}

  public MetricsRoutes(PrometheusMeterRegistry registry, Secret token) {
    this.registry = registry;
    this.token = token;
  }

  public Route routes() {
    return path("metrics", () -> get(() -> new RouteLabel().labelled("/metrics", () -> extractRequest(request -> allowed(request)
        ? complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, registry.scrape()))
        : complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "metrics_forbidden",
            "metrics are served to loopback callers, or with Authorization: Bearer <LAYERCAKE_HTTP_METRICS_TOKEN>"))))));
  }

  private boolean allowed(HttpRequest request) {
    Optional<InetAddress> caller = request.getAttribute(AttributeKeys.remoteAddress).flatMap(remote -> remote.getAddress());
    if (caller.map(InetAddress::isLoopbackAddress).orElse(false)) {
      return true;
    }
    return request.getHeader("Authorization").map(header -> header.value())
        .filter(value -> value.startsWith(BEARER))
        .map(value -> token.matches(value.substring(BEARER.length()).strip()))
        .orElse(false);
  }

  /** Times every request that {@code inner} answers. */
  public Route measured(Supplier<Route> inner) {
    Route answering = inner.get(); // once: a directive calls its inner supplier for every request
    return extractRequest(request -> {
      long startedAt = System.nanoTime();
      return mapResponse(response -> {
        timers.computeIfAbsent(new TimerKey(request.method().name(), RouteLabel.of(response), response.status().intValue()), this::timer)
            .record(System.nanoTime() - startedAt, TimeUnit.NANOSECONDS);
        return response;
      }, () -> answering);
    });
  }

  private Timer timer(TimerKey key) {
    return Timer.builder("layercake.http.server.requests")
        .description("HTTP requests by method, route template and status")
        .tag("method", key.method())
        .tag("route", key.route())
        .tag("status", Integer.toString(key.status()))
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }
}
