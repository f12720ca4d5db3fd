package io.layercake.bench;

import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.jdbc.H2FileServer;
import io.layercake.persistence.credits.JournalLedgerAudit;
import io.layercake.persistence.testing.EmbeddedPostgresServer;
import io.layercake.persistence.testing.LedgerNode;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reserve + commit pairs per second against one organization, on H2 and on embedded PostgreSQL,
 * with the credit projection running as in production. Clients each run reserve then commit in a
 * loop; the loop is bounded by time and by a pair count. Reports the median of several runs with
 * min and max, the latency of one pair, and the ledger audit after the load.
 *
 * <p>{@code mvn -B -q package -DskipTests && java -cp bench/target/layercake-bench.jar
 * io.layercake.bench.LedgerThroughputBenchmark --clients 32 --orgs 1 --runs 3 --seconds 10}
 * ({@code --orgs N} spreads the clients over N organizations, to see the aggregate beyond one entity).
 */
public final class LedgerThroughputBenchmark {
  private static final int MAX_PAIRS_PER_RUN = 2_000_000;
  private static final String ORG = "bench-org";
  private static final List<CostLine> COST = List.of(new CostLine("llm_reply", 1));

  private final int clients;
  private final int orgs;
  private final int runs;
  private final Duration runLength;
  private final Duration warmup;

  private LedgerThroughputBenchmark(int clients, int orgs, int runs, Duration runLength, Duration warmup) {
    this.clients = clients;
    this.orgs = orgs;
    this.runs = runs;
    this.runLength = runLength;
    this.warmup = warmup;
  }

  public static void main(String[] args) throws Exception {
    H2FileServer.keepOnLoopback();
    List<String> arguments = Arrays.asList(args);
    int clients = intArgument(arguments, "--clients", 32);
    int orgs = intArgument(arguments, "--orgs", 1);
    int runs = intArgument(arguments, "--runs", 3);
    int seconds = intArgument(arguments, "--seconds", 10);
    int warmupSeconds = intArgument(arguments, "--warmup", 15);
    LedgerThroughputBenchmark benchmark =
        new LedgerThroughputBenchmark(clients, orgs, runs, Duration.ofSeconds(seconds), Duration.ofSeconds(warmupSeconds));
    System.out.printf("Ledger benchmark: %d clients over %d org(s), %d runs of %d s after %d s warm-up, %d cores%n",
        clients, orgs, runs, seconds, warmupSeconds, Runtime.getRuntime().availableProcessors());
    String databases = stringArgument(arguments, "--databases", "h2,postgres");
    if (databases.contains("h2")) {
      Path h2Dir = Files.createTempDirectory("layercake-bench-h2");
      benchmark.measure("H2 file", TestNodes.settings(h2Dir, DatabaseSettings.h2File(h2Dir, 8), 100));
    }
    if (databases.contains("postgres")) {
      Path pgDir = Files.createTempDirectory("layercake-bench-pg");
      try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
        benchmark.measure("PostgreSQL (embedded, fsync off)", TestNodes.settings(pgDir, postgres.freshDatabase(), 100));
      }
    }
    System.exit(0);
  }

  private void measure(String database, LayercakeSettings settings) throws Exception {
    try (LedgerNode node = LedgerNode.start(settings)) {
      Organizations organizations = node.ledger().organizations();
      for (int org = 0; org < orgs; org++) {
        organizations.open(ORG + org, "Benchmark " + org, "agency", null).toCompletableFuture().join();
        organizations.addPurchased(ORG + org, "bench-credits", 1_000_000_000L).toCompletableFuture().join();
      }
      Executor executor = node.testKit().system().executionContext();

      run(organizations, executor, warmup, "warmup");
      List<RunResult> results = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        results.add(run(organizations, executor, runLength, "run" + i));
      }
      JournalLedgerAudit.Report audit = node.ledger().audit().run().toCompletableFuture().join();

      double[] rates = results.stream().mapToDouble(RunResult::pairsPerSecond).sorted().toArray();
      RunResult median = results.stream().sorted((a, b) -> Double.compare(a.pairsPerSecond(), b.pairsPerSecond()))
          .toList().get(results.size() / 2);
      System.out.printf("%s: reserve+commit pairs/s median %.0f (min %.0f, max %.0f); pair latency p50 %.1f ms, p99 %.1f ms;"
              + " events/s %.0f; audit %s over %d org(s)%n",
          database, median.pairsPerSecond(), rates[0], rates[rates.length - 1], median.p50Millis(), median.p99Millis(),
          median.pairsPerSecond() * 2, ledgerAudit(audit), audit.organizations());
    }
  }

  /**
   * The ledger's rules; the audit's other half, each conversation's charges against its row, does not apply:
   * this benchmark charges turns of conversations that do not exist (every one of them would be a difference).
   */
  private static String ledgerAudit(JournalLedgerAudit.Report audit) {
    return audit.violations().isEmpty() ? "clean" : "BROKEN " + audit.violations();
  }

  private RunResult run(Organizations organizations, Executor executor, Duration length, String label) {
    long deadline = System.nanoTime() + length.toNanos();
    AtomicLong pairs = new AtomicLong();
    AtomicInteger ids = new AtomicInteger();
    long[] latencies = new long[MAX_PAIRS_PER_RUN];
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    long started = System.nanoTime();
    for (int client = 0; client < clients; client++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loop(organizations, executor, ORG + (client % orgs), label, deadline, pairs, ids, latencies, done);
      loops.add(done);
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).join();
    double seconds = (System.nanoTime() - started) / 1e9;
    int count = (int) Math.min(pairs.get(), MAX_PAIRS_PER_RUN);
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    return new RunResult(pairs.get() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
  }

  /** One client: reserve, commit, again, until the deadline or the pair budget is used up. */
  private void loop(
      Organizations organizations, Executor executor, String org, String label, long deadline, AtomicLong pairs,
      AtomicInteger ids, long[] latencies, CompletableFuture<Void> done) {
    if (System.nanoTime() >= deadline || pairs.get() >= MAX_PAIRS_PER_RUN) {
      done.complete(null);
      return;
    }
    String reservationId = label + "-" + ids.incrementAndGet();
    long start = System.nanoTime();
    CompletionStage<OrgEntity.Reply> pair = organizations.reserve(org, reservationId, 2, "bench-session", "bench-agent")
        .thenComposeAsync(reserved -> organizations.commit(org, reservationId, 1, COST), executor);
    pair.whenCompleteAsync((reply, failure) -> {
      if (failure != null || !(reply instanceof OrgEntity.Committed)) {
        done.completeExceptionally(failure != null ? failure : new IllegalStateException("unexpected " + reply));
        return;
      }
      long index = pairs.getAndIncrement();
      if (index < MAX_PAIRS_PER_RUN) {
        latencies[(int) index] = System.nanoTime() - start;
      }
      loop(organizations, executor, org, label, deadline, pairs, ids, latencies, done);
    }, executor);
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
  }

  private static String stringArgument(List<String> arguments, String name, String fallback) {
    int index = arguments.indexOf(name);
    return index >= 0 && index + 1 < arguments.size() ? arguments.get(index + 1) : fallback;
  }

  private static int intArgument(List<String> arguments, String name, int fallback) {
    int index = arguments.indexOf(name);
    return index >= 0 && index + 1 < arguments.size() ? Integer.parseInt(arguments.get(index + 1)) : fallback;
  }

  private record RunResult(double pairsPerSecond, double p50Millis, double p99Millis) {}
}
