package io.layercake.http.health;

import io.layercake.http.server.Json;
import io.layercake.runtime.health.Readiness;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /health/live}: the process is up. {@code GET /health/ready}: every readiness check
 * passes (journal reachable, cluster member Up, schema migrated); 503 with the failing checks otherwise.
 */
public final class HealthRoutes extends AllDirectives {
  private final Readiness readiness;

  public HealthRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  public Route routes() {
    return pathPrefix("health", () -> concat(
        path("live", () -> get(() -> complete(StatusCodes.OK, Map.of("status", "up"), Json.marshaller()))),
        path("ready", () -> get(() -> onSuccess(readiness.check(), report -> complete(
            report.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
            new ReadinessBody(report.ready() ? "ready" : "not_ready", report.checks()),
            Json.marshaller()))))));
  }

  record ReadinessBody(String status, Map<String, io.layercake.runtime.health.ReadinessCheck.CheckResult> checks) {}
}
