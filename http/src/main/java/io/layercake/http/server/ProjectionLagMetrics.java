package io.layercake.http.server;

import io.layercake.persistence.jdbc.ProjectionLag;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code layercake_projection_lag_events{projection,tag}} and {@code layercake_projection_lag_seconds}:
 * how far each read model is behind the journal, measured every {@link #INTERVAL} on the JDBC
 * dispatcher. Every node reports the same cluster-wide figures.
 */
public final class ProjectionLagMetrics {
  static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ProjectionLagMetrics.class);

  private ProjectionLagMetrics() {}

  public static void start(ActorSystem<?> system, ProjectionLag lag, MeterRegistry registry) {
    MultiGauge events = MultiGauge.builder("layercake.projection.lag.events")
        .description("Tagged events the projection has not processed yet").register(registry);
    MultiGauge seconds = MultiGauge.builder("layercake.projection.lag").baseUnit("seconds")
        .description("Age of the oldest event the projection has not processed yet").register(registry);
    Cancellable ticks = system.scheduler().scheduleAtFixedRate(Duration.ZERO, INTERVAL, () -> lag.measure().whenComplete((lags, failure) -> {
      if (failure != null) {
        log.warn("Could not measure the projections' lag: {}", failure.getMessage());
        return;
      }
      events.register(lags.stream().map(each -> MultiGauge.Row.of(tags(each), each.eventsBehind())).toList(), true);
      seconds.register(lags.stream().map(each -> MultiGauge.Row.of(tags(each), each.behind().toMillis() / 1000.0)).toList(), true);
    }), system.executionContext());
    CoordinatedShutdown.get(system).addJvmShutdownHook(ticks::cancel);
  }

  private static Tags tags(ProjectionLag.Lag lag) {
    return Tags.of("projection", lag.projection(), "tag", lag.tag());
  }
}
