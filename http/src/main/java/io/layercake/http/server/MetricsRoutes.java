package io.layercake.http.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics} in the Prometheus text format, and the count of HTTP requests by method, route
 * and status. Routes are labelled by their path with ids folded to {@code {id}}, so the labels stay few.
 */
public final class MetricsRoutes extends AllDirectives {
  private static final Pattern ID = Pattern.compile(".*[0-9|%].*|.{25,}");

  private final PrometheusMeterRegistry registry;

  public MetricsRoutes(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public Route routes() {
    return path("metrics", () -> get(() -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, registry.scrape()))));
  }

  /** Counts every request that {@code inner} answers. */
  public Route counted(Supplier<Route> inner) {
    return extractRequest(request -> mapResponse(response -> {
      Counter.builder("layercake.http.requests")
          .tag("method", request.method().name())
          .tag("route", route(request.getUri().path()))
          .tag("status", Integer.toString(response.status().intValue()))
          .register(registry)
          .increment();
      return response;
    }, inner));
  }

  static String route(String path) {
    StringBuilder route = new StringBuilder();
    String[] segments = path.split("/");
    int kept = 0;
    for (String segment : segments) {
      if (segment.isEmpty()) {
        continue;
      }
      if (++kept > 4) {
        break;
      }
      route.append('/').append(ID.matcher(segment).matches() ? "{id}" : segment);
    }
    return route.length() == 0 ? "/" : route.toString();
  }
}
