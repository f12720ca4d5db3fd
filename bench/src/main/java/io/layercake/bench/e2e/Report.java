package io.layercake.bench.e2e;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one benchmark run, as a Markdown report: medians over runs with their min and max. */
final class Report {
  private final List<String> throughput = new ArrayList<>();
  private final List<String> costs = new ArrayList<>();
  private final List<String> overhead = new ArrayList<>();
  private final List<String> limits = new ArrayList<>();
  private final List<String> correctness = new ArrayList<>();
  private final Map<String, Double> peaks = new LinkedHashMap<>();
  private String heap = "not measured";
  private String recovery = "not measured";

  private final List<String> warmups = new ArrayList<>();

  void warmup(String database, WhatsAppLoad.Result run, long apologies) {
    warmups.add(String.format("%s: %.0f messages/s, %d of %d not answered within the timeout, %d answered with the fail-open apology",
        database, run.perSecond(), run.lost(), run.messages(), apologies));
  }

  void throughput(String database, int latencyMillis, List<WhatsAppLoad.Result> runs) {
    Stats.Spread perSecond = Stats.Spread.of(runs.stream().map(WhatsAppLoad.Result::perSecond).toList());
    Stats.Spread p50 = Stats.Spread.of(runs.stream().map(run -> Stats.percentile(run.latenciesMicros(), 50) / 1000).toList());
    Stats.Spread p95 = Stats.Spread.of(runs.stream().map(run -> Stats.percentile(run.latenciesMicros(), 95) / 1000).toList());
    Stats.Spread p99 = Stats.Spread.of(runs.stream().map(run -> Stats.percentile(run.latenciesMicros(), 99) / 1000).toList());
    long lost = runs.stream().mapToLong(WhatsAppLoad.Result::lost).sum();
    long refused = runs.stream().mapToLong(WhatsAppLoad.Result::refused).sum();
    long messages = runs.stream().mapToLong(WhatsAppLoad.Result::messages).sum();
    throughput.add("| " + database + " | " + latencyMillis + " ms | " + perSecond.format("", 0) + " | " + p50.format(" ms", 0) + " | "
        + p95.format(" ms", 0) + " | " + p99.format(" ms", 0) + " | " + messages + " | " + lost + " | " + refused + " |");
    if (latencyMillis == 0) {
      peaks.put(database, perSecond.median());
    }
  }

  void costs(String database, int latencyMillis, MessageCosts.PerMessage perMessage) {
    costs.add(String.format("| %s | %d ms | %.2f ms | %.2f | %s |", database, latencyMillis, perMessage.cpuMillis(),
        perMessage.events(), Double.isNaN(perMessage.statements()) ? "not counted" : String.format("%.1f", perMessage.statements())));
  }

  void halfLoad(String database, int perSecond, WhatsAppLoad.Result run, TurnOverhead turn) {
    overhead.add(String.format("| %s | %d/s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d |", database, perSecond, turn.p50Millis(),
        turn.p99Millis(), Stats.percentile(run.latenciesMicros(), 50) / 1000, Stats.percentile(run.latenciesMicros(), 99) / 1000,
        turn.turns()));
  }

  void limits(String database, double jdbcRowsPerSecond, double bareHttpPerSecond) {
    double peak = peaks.getOrDefault(database, Double.NaN);
    limits.add(String.format("| %s | %.0f rows/s | %.0f req/s | %.0f msg/s | %.1f %% | %.1f %% |", database, jdbcRowsPerSecond,
        bareHttpPerSecond, peak, 100 * peak / bareHttpPerSecond, 100 * peak * 5 / jdbcRowsPerSecond));
  }

  void correctness(String database, long duplicateReplies, long unexpectedReplies, boolean auditClean) {
    correctness.add("| " + database + " | " + duplicateReplies + " | " + unexpectedReplies + " | " + (auditClean ? "clean" : "**violations**")
        + " |");
  }

  void heap(double bytesPerConversation) {
    heap = String.format("%.1f KB per live conversation (H2, after GC)", bytesPerConversation / 1024);
  }

  void recovery(RecoveryProbe.Result result) {
    recovery = "| " + result.messages() + " messages | " + Stats.Spread.of(result.withoutSnapshots()).format(" ms", 0) + " | "
        + Stats.Spread.of(result.withSnapshots()).format(" ms", 0) + " |";
  }

  String markdown(EndToEndBenchmark.Options options, Duration took) {
    StringBuilder out = new StringBuilder();
    out.append("# Layercake end-to-end benchmark\n\n");
    out.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", heap max ")
        .append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / 1_048_576).append(" MB; took ")
        .append(took.toSeconds()).append(" s. Node, stubs and load share the machine. ")
        .append(options.contacts()).append(" WhatsApp contacts x ").append(options.messages())
        .append(" messages per run (closed loop: the next message after the reply), ").append(options.runs())
        .append(" runs; medians with (min–max) over runs.\n\n");
    out.append("Warm-up (cold JVM and database, not in the figures): ").append(String.join("; ", warmups)).append(".\n\n");
    out.append("## Throughput and latency (signed webhook sent → reply at the Graph API stub)\n\n");
    out.append("| database | model | messages/s | p50 | p95 | p99 | messages | lost | refused |\n|---|---|---|---|---|---|---|---|---|\n");
    throughput.forEach(line -> out.append(line).append('\n'));
    out.append("\n## Cost per message over the measured runs (CPU of the whole process: node, stubs and load)\n\n");
    out.append("| database | model | CPU per message | journal events per message | SQL statements per message |\n|---|---|---|---|---|\n");
    costs.forEach(line -> out.append(line).append('\n'));
    out.append("\n## Turn overhead at half of peak (0 ms model, open loop for 15 s)\n\n");
    out.append("| database | rate | turn without model p50 | p99 | webhook → reply p50 | p99 | turns |\n|---|---|---|---|---|---|---|\n");
    overhead.forEach(line -> out.append(line).append('\n'));
    out.append("\n## Limits of this machine, measured in the same run\n\n");
    out.append("| database | batched JDBC inserts (journal-shaped, 400/commit) | bare Pekko HTTP GET (64 in flight) | our peak (0 ms model) |"
        + " peak / bare HTTP | journal rows at peak (5 events/turn) / JDBC limit |\n|---|---|---|---|---|---|\n");
    limits.forEach(line -> out.append(line).append('\n'));
    out.append("\n## Correctness after the load (measured runs; every message of a run is answered or counted lost above)\n\n"
        + "| database | duplicate replies | replies without a message (fail-open apologies) | ledger audit |\n|---|---|---|---|\n");
    correctness.forEach(line -> out.append(line).append('\n'));
    out.append("\n## Memory and recovery (H2)\n\n").append(heap).append(".\n\n");
    out.append("| conversation of | recovery, no snapshot | recovery, snapshot every 100 events |\n|---|---|---|\n").append(recovery).append('\n');
    return out.toString();
  }
}
