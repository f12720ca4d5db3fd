package io.layercake.bench.e2e;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.concurrent.TimeUnit;

/** The node's own measure of a turn without the model: its p50 and p99 since the registry was cleared. */
record TurnOverhead(long turns, double p50Millis, double p99Millis) {
  static TurnOverhead read(MeterRegistry registry) {
    Timer timer = registry.find("layercake.turn.latency.without.model").timer();
    if (timer == null) {
      return new TurnOverhead(0, Double.NaN, Double.NaN);
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
      if (value.percentile() == 0.5) {
        p50 = value.value(TimeUnit.MILLISECONDS);
      } else if (value.percentile() == 0.99) {
        p99 = value.value(TimeUnit.MILLISECONDS);
      }
    }
    return new TurnOverhead(timer.count(), p50, p99);
  }
}
