package io.layercake.bench.e2e;

import io.layercake.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Tenant bulkheads (issue 28): a node whose model pool takes {@link #POOL} calls at once, the stub
 * model answering in {@link #MODEL}, so what tenants compete for is the pool, not the CPU. Nine
 * organizations chat one conversation each, messages one after the other; their p99 alone is the
 * baseline. Then the tenth floods with {@link #FLOOD} conversations at once (20 times a tenant's
 * share) while the nine chat again: their p99 must stay within twice the baseline, and every one of
 * the flood's messages must be answered in the end (accepted, queued, never dropped).
 */
final class BulkheadPass {
  static final int POOL = 16;
  static final Duration MODEL = Duration.ofMillis(500);
  static final int FLOOD = 20;

  private final Options options;
  private final Report report;
  private final String column;
  private final NodeProcess node;
  private final StubProviders stubs;
  private final NodeAdmin admin;

  BulkheadPass(Options options, Report report, String column, NodeProcess node, StubProviders stubs) {
    this.options = options;
    this.report = report;
    this.column = column;
    this.node = node;
    this.stubs = stubs;
    this.admin = new NodeAdmin(node.baseUrl(), 10);
  }

  void measure(Secret appSecret) throws Exception {
    admin.setUp();
    List<String> numbers = admin.phoneNumberIds();
    String flooding = numbers.get(0);
    List<String> nine = numbers.subList(1, 10);
    int messages = options.bulkheadMessages();
    stubs.modelLatency(MODEL);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try (WhatsAppLoad load = new WhatsAppLoad(node.baseUrl(), appSecret, stubs, options.replyTimeout(), options.runTimeout(),
        options.maxInFlight())) {
      load.closedLoop("9001", numbers, 10, 2); // run ids are numbers: the stub finds the message's token in the reply
      WhatsAppLoad.Result alone = load.closedLoop("9002", nine, nine.size(), messages);
      EndToEndBenchmark.log(String.format("bulkheads: the nine alone, p50 %.0f ms, p99 %.0f ms", millis(alone, 50), millis(alone, 99)));
      CompletableFuture<WhatsAppLoad.Result> flood = CompletableFuture.supplyAsync(
          () -> load.closedLoop("9003", List.of(flooding), FLOOD, messages), background);
      WhatsAppLoad.Result beside = load.closedLoop("9004", nine, nine.size(), messages);
      WhatsAppLoad.Result flooded = flood.join();
      EndToEndBenchmark.log(String.format("bulkheads: the nine beside the flood, p50 %.0f ms, p99 %.0f ms; the flood %d of %d"
          + " answered, p99 %.0f ms", millis(beside, 50), millis(beside, 99), flooded.answered(), flooded.messages(),
          millis(flooded, 99)));
      double ratio = millis(beside, 99) / millis(alone, 99);
      report.put(45, "tenant bulkheads (" + POOL + "-call model pool, " + MODEL.toMillis() + " ms model): nine tenants' p99 "
              + "alone → beside a tenant flooding " + FLOOD + "× (" + messages + " messages per conversation)",
          "≤ 2× alone", column, String.format("%.0f → %.0f ms (%.2f×); all %d of theirs answered", millis(alone, 99),
              millis(beside, 99), ratio, beside.answered()),
          ratio <= 2 && beside.answered() == beside.messages());
      report.put(46, "tenant bulkheads: the flooding tenant's messages answered / apologies / lost, its p99",
          "all / 0 / 0", column, String.format("%d of %d / %d / %d, p99 %.0f ms", flooded.answered(), flooded.messages(),
              flooded.apologized(), flooded.lost(), millis(flooded, 99)),
          flooded.answered() == flooded.messages() && flooded.apologized() == 0);
    } finally {
      background.shutdownNow();
    }
  }

  private static double millis(WhatsAppLoad.Result result, double percentile) {
    return Stats.percentile(result.latenciesMicros(), percentile) / 1000;
  }
}
