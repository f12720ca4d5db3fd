package io.layercake.runtime.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;

/**
 * What the runtime counts: inbound messages by channel, turns and their latency (whole, and without
 * the model), model calls by provider with their latency and tokens, credits committed, outbound
 * delivery results by channel, webhook deliveries. Names follow Prometheus conventions once exported.
 */
public final class RuntimeMetrics {
  /** Histogram buckets of every latency: 5 ms to 30 s, so nodes' histograms add up in Prometheus. */
  public static final List<Duration> LATENCY_BUCKETS = List.of(
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30));
  private static final Duration[] BUCKETS = LATENCY_BUCKETS.toArray(Duration[]::new);

  private final MeterRegistry registry;

  public RuntimeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Gauges of one tenant-fair pool ({@code pool}: model, provider): the calls running, the calls
   * waiting their turn, and how many tenants wait. Read when scraped.
   */
  public void bulkhead(String pool, java.util.function.Supplier<io.layercake.runtime.concurrent.FairShares.Load> load) {
    io.micrometer.core.instrument.Gauge.builder("layercake.bulkhead.running", () -> load.get().running()).tag("pool", pool)
        .description("Calls of the pool running now").register(registry);
    io.micrometer.core.instrument.Gauge.builder("layercake.bulkhead.waiting", () -> load.get().waiting()).tag("pool", pool)
        .description("Calls waiting for a place in the pool, all tenants").register(registry);
    io.micrometer.core.instrument.Gauge.builder("layercake.bulkhead.tenants.waiting", () -> load.get().tenantsWaiting())
        .tag("pool", pool).description("Tenants with calls waiting for a place in the pool").register(registry);
  }

  /** Metrics kept in memory only (tests, tools). */
  public static RuntimeMetrics inMemory() {
    return new RuntimeMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void inboundMessage(String channel) {
    Counter.builder("layercake.inbound.messages").description("Inbound messages recorded, by channel")
        .tag("channel", channel).register(registry).increment();
  }

  public void turnSettled(String outcome, long creditsCharged) {
    Counter.builder("layercake.turns").description("Turns settled, by outcome").tag("outcome", outcome).register(registry).increment();
    Counter.builder("layercake.credits.committed").description("Credits charged for turns").register(registry).increment(creditsCharged);
  }

  /** Credits held for a turn when the reservation is granted (renewals of a lapsed hold count again). */
  public void creditsReserved(long credits) {
    Counter.builder("layercake.credits.reserved").description("Credits held for turns").register(registry).increment(credits);
  }

  /** Histograms ({@code _bucket} series with {@link #LATENCY_BUCKETS}), aggregatable across nodes. */
  public void turnAnswered(Duration total, Duration model) {
    Timer.builder("layercake.turn.latency").description("From the turn's start to its reply")
        .serviceLevelObjectives(BUCKETS).register(registry).record(total);
    Duration withoutModel = total.minus(model);
    Timer.builder("layercake.turn.latency.without.model").description("The turn's latency, model calls excluded")
        .serviceLevelObjectives(BUCKETS).register(registry).record(withoutModel.isNegative() ? Duration.ZERO : withoutModel);
  }

  public void modelCall(String provider, String outcome, Duration latency, long inputTokens, long outputTokens) {
    Timer.builder("layercake.model.latency").description("Model calls, by provider and outcome")
        .tag("provider", provider).tag("outcome", outcome).serviceLevelObjectives(BUCKETS).register(registry).record(latency);
    Counter.builder("layercake.model.tokens").tag("provider", provider).tag("direction", "input").register(registry).increment(inputTokens);
    Counter.builder("layercake.model.tokens").tag("provider", provider).tag("direction", "output").register(registry).increment(outputTokens);
  }

  /** A provider's answer to a send, by channel and outcome (histogram). */
  public void channelSend(String channel, String outcome, Duration latency) {
    Timer.builder("layercake.channel.send").description("Sends to a channel's provider, by channel and outcome")
        .tag("channel", channel).tag("outcome", outcome).serviceLevelObjectives(BUCKETS).register(registry).record(latency);
  }

  public void delivery(String channel, String result) {
    Counter.builder("layercake.outbound.deliveries").description("Outbound send results, by channel")
        .tag("channel", channel).tag("result", result).register(registry).increment();
  }

  public void webhookDelivery(String result) {
    Counter.builder("layercake.webhook.deliveries").description("Webhook delivery attempts, by result")
        .tag("result", result).register(registry).increment();
  }
}
