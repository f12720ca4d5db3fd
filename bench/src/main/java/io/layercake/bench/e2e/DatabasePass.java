package io.layercake.bench.e2e;

import io.layercake.config.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One database's figures, measured against one node process: the warm-up, the closed loops with
 * their costs per message and the node's threads, the open loop at half of peak, the bursts on one
 * organization with heap per live conversation, the webchat message, idle CPU, and the correctness
 * checks; each as a row of the report with its target.
 */
final class DatabasePass {
  /** Below this many conversations, heap after GC varies by more than they take. */
  private static final int MEANINGFUL_HEAP_CONVERSATIONS = 1_000;
  /** One instance per live conversation. */
  private static final String SESSION_ENTITY = "io.layercake.runtime.session.SessionEntity";
  /** How many of the classes that grew most around the heap measurement the report names. */
  private static final int HISTOGRAM_CLASSES = 12;
  private static final Duration QUIET_WITHIN = Duration.ofSeconds(30);
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(3);
  /** The default lease idle time (1 min) and the time a burst's last turns take to settle. */
  private static final Duration LEASES_BACK_WITHIN = Duration.ofSeconds(90);
  private static final int WEBCHAT_WARMUP = 3;
  /** The most turns one replay takes (the node's default {@code max-turns}). */
  private static final int REPLAY_TURNS = 500;
  private static final Duration REPLAY_WITHIN = Duration.ofMinutes(5);
  /** The warm-up is steady when the JIT compiler's share over this many rounds is low enough. */
  private static final int STEADY_ROUNDS = 5;
  private static final String BENCHMARK_CPU = "cpu" + EndToEndBenchmark.BENCH_CPU;

  private final Options options;
  private final Report report;
  private final String database;
  private final NodeProcess node;
  private final StubProviders stubs;
  private final MessageCosts costs;
  private final NodeAdmin admin;
  private int run;

  DatabasePass(Options options, Report report, String database, NodeProcess node, StubProviders stubs,
      MessageCosts costs) {
    this.options = options;
    this.report = report;
    this.database = database;
    this.node = node;
    this.stubs = stubs;
    this.costs = costs;
    this.admin = new NodeAdmin(node.baseUrl(), options.orgs());
  }

  void measure(Secret appSecret) throws Exception {
    admin.setUp();
    costs.startCounting();
    node.awaitQuiet(QUIET_WITHIN);
    double idleAtStart = node.cpuMillisPerSecond(IDLE_WINDOW);
    long eventsAtStart = costs.mark(node).ordering();
    StubProviders.Counts beforeAll;
    try (WhatsAppLoad load = new WhatsAppLoad(node.baseUrl(), appSecret, stubs, options.replyTimeout(),
        options.runTimeout(), options.maxInFlight())) {
      warmUp(load);
      beforeAll = stubs.counts();
      double peak = closedLoops(load);
      if (peak > 0) {
        halfLoad(load, peak);
      }
      int largest = largestBurst();
      for (int i = 0; i < options.singleOrg().size(); i++) {
        burst(load, options.singleOrg().get(i), i == largest);
      }
    }
    webchat();
    streamedWebchat();
    node.awaitQuiet(QUIET_WITHIN);
    replay();
    awaitLeasesBack();
    node.awaitQuiet(QUIET_WITHIN);
    idle(idleAtStart, eventsAtStart);
    StubProviders.Counts all = stubs.counts().minus(beforeAll);
    boolean clean = admin.auditClean();
    report.put(100, "duplicates / fail-open apologies / ledger audit (all measured scenarios)", "0 / 0 / clean",
        database, all.duplicates() + " / " + all.apologies() + " / " + (clean ? "clean" : "violations"),
        all.duplicates() == 0 && all.apologies() == 0 && clean);
  }

  /**
   * Rounds of the warm-up loop until the node is at steady state: the JIT compiler took at most
   * {@code --warmup-jit-percent} of the node's CPU over the last {@value #STEADY_ROUNDS} rounds (on
   * one core the C2 compiler keeps compiling for some 100,000 messages, and what it costs is on every
   * message meanwhile; one round alone can be a lull) and at least {@code --warmup-min-messages} were
   * sent (in one H2 pass the compiler's share fell to 10 % over rounds 3–7 and rose again after), or
   * until {@code --warmup-max-messages}.
   */
  private void warmUp(WhatsAppLoad load) throws InterruptedException {
    EndToEndBenchmark.log(database + ": warming up in rounds of " + options.warmupConversations() + " × "
        + options.warmupMessages() + " until the JIT compiler takes at most " + options.warmupJitPercent()
        + " % of the node's CPU over " + STEADY_ROUNDS + " rounds, after at least " + options.warmupMinMessages()
        + " messages");
    stubs.modelLatency(Duration.ZERO);
    long round = (long) options.warmupConversations() * options.warmupMessages();
    long sent = 0;
    int rounds = 0;
    long started = System.nanoTime();
    double jitPercent;
    WhatsAppLoad.Result last;
    ArrayDeque<WarmupRound> recent = new ArrayDeque<>();
    do {
      long cpuBefore = node.cpuNanos();
      NodeProcess.ThreadTimes timesBefore = node.threadTimes();
      last = load.closedLoop(nextRun(), admin.phoneNumberIds(), options.warmupConversations(), options.warmupMessages());
      WarmupRound done = new WarmupRound(node.cpuNanos() - cpuBefore,
          node.threadTimes().since(timesBefore).compilerCpuNanos());
      recent.addLast(done);
      if (recent.size() > STEADY_ROUNDS) {
        recent.removeFirst();
      }
      jitPercent = recent.size() < STEADY_ROUNDS ? 100 : WarmupRound.compilerPercent(recent);
      sent += last.messages();
      rounds++;
      if (rounds % 10 == 1) {
        EndToEndBenchmark.log(String.format("%s warm-up round %d: %.0f messages/s, %.2f ms CPU per message, JIT %.0f %%",
            database, rounds, last.perSecond(), done.cpuNanos() / 1e6 / Math.max(1, last.messages()),
            WarmupRound.compilerPercent(List.of(done))));
      }
    } while ((jitPercent > options.warmupJitPercent() || sent < options.warmupMinMessages())
        && sent + round <= options.warmupMaxMessages());
    report.detail(String.format("%s warm-up: %d messages in %d rounds of %d × %d in %.0f s; the last round %.0f"
            + " messages/s; the JIT compiler %.0f %% of the node's CPU over the last rounds%s; %s",
        database, sent, rounds, options.warmupConversations(), options.warmupMessages(),
        (System.nanoTime() - started) / 1e9, last.perSecond(), jitPercent,
        jitPercent > options.warmupJitPercent() ? " (not yet steady: the cap came first)" : "", ended(last)));
    node.awaitQuiet(QUIET_WITHIN);
  }

  /** One warm-up round: the node's CPU, and its JIT compiler's part of it. */
  private record WarmupRound(long cpuNanos, long compilerNanos) {
    static double compilerPercent(Collection<WarmupRound> rounds) {
      long cpu = rounds.stream().mapToLong(WarmupRound::cpuNanos).sum();
      return 100.0 * rounds.stream().mapToLong(WarmupRound::compilerNanos).sum() / Math.max(1, cpu);
    }
  }

  /** The closed loops at each model latency, with the node's threads around them all; returns the 0 ms peak. */
  private double closedLoops(WhatsAppLoad load) throws Exception {
    settleAtSlowerModels(load);
    int threadsBefore = node.threads();
    Map<String, String> namesBefore = node.threadNames();
    Optional<Long> startedBefore = node.threadsStarted();
    long messages = 0;
    double peak = 0;
    for (int latency : options.latenciesMillis()) {
      stubs.modelLatency(Duration.ofMillis(latency));
      MessageCosts.Mark mark = costs.mark(node);
      CpuBusy benchmarkSide = CpuBusy.mark(BENCHMARK_CPU);
      List<WhatsAppLoad.Result> results = new ArrayList<>();
      for (int i = 0; i < options.runs(); i++) {
        long cpuBefore = node.cpuNanos();
        NodeProcess.ThreadTimes timesBefore = node.threadTimes();
        WhatsAppLoad.Result result = load.closedLoop(nextRun(), admin.phoneNumberIds(), options.conversationsAt(latency),
            options.messages());
        double perMessage = (node.cpuNanos() - cpuBefore) / 1e6 / Math.max(1, result.messages());
        NodeProcess.Window run = node.threadTimes().since(timesBefore);
        EndToEndBenchmark.log(String.format(
            "%s, model %d ms, run %d: %.0f messages/s, p50 %.1f ms, p99 %.1f ms, %.2f ms CPU per message (JIT %.2f), "
                + "%.0f context switches per message; %s",
            database, latency, i + 1, result.perSecond(), millis(result, 50), millis(result, 99), perMessage,
            run.compilerCpuNanos() / 1e6 / Math.max(1, result.messages()),
            (double) run.contextSwitches() / Math.max(1, result.messages()), ended(result)));
        results.add(result);
      }
      Duration trailing = node.awaitQuiet(QUIET_WITHIN);
      long runMessages = results.stream().mapToLong(WhatsAppLoad.Result::messages).sum();
      messages += runMessages;
      MessageCosts.PerMessage perMessage = costs.since(mark, node, runMessages);
      double benchmarkBusy = CpuBusy.mark(BENCHMARK_CPU).percentSince(benchmarkSide);
      double perSecond = closedLoop(latency, results, perMessage, trailing, benchmarkBusy);
      if (latency == 0) {
        peak = perSecond;
      }
    }
    threads(threadsBefore, namesBefore, startedBefore, messages);
    return peak;
  }

  /**
   * One closed-loop run at each model latency above 0 ms, not counted: its many conversations at once reach code
   * the warm-up's do not, and the counted runs measure the node at steady state. Its outcome is in the details and
   * in the correctness row.
   */
  private void settleAtSlowerModels(WhatsAppLoad load) throws Exception {
    for (int latency : options.latenciesMillis()) {
      if (latency == 0) {
        continue;
      }
      stubs.modelLatency(Duration.ofMillis(latency));
      int threadsBefore = node.threads();
      WhatsAppLoad.Result result = load.closedLoop(nextRun(), admin.phoneNumberIds(), options.conversationsAt(latency),
          options.messages());
      String line = String.format("%s, model %d ms, a run before the counted ones, not counted: %.0f messages/s;"
          + " the node's threads %d → %d; %s", database, latency, result.perSecond(), threadsBefore, node.threads(),
          ended(result));
      EndToEndBenchmark.log(line);
      report.detail(line);
    }
  }

  /** Rows for one model latency: throughput, latency, and the costs per message. Returns the median messages/s. */
  private double closedLoop(int latency, List<WhatsAppLoad.Result> results, MessageCosts.PerMessage perMessage,
      Duration trailing, double benchmarkBusy) {
    Stats.Spread perSecond = Stats.Spread.of(results.stream().map(WhatsAppLoad.Result::perSecond).toList());
    String loop = options.conversationsAt(latency) + " × " + options.messages() + " closed loop, " + latency
        + " ms model";
    String target = latency == 0 ? "≥ 700" : latency == 500 ? "≥ 600" : "";
    double needed = latency == 0 ? 700 : latency == 500 ? 600 : Double.NaN;
    report.put(10, "messages/s, " + loop, target, database, perSecond.format("", 0),
        Double.isNaN(needed) ? null : perSecond.median() >= needed);
    report.put(10, "latency p50 / p95 / p99, " + loop, "", database,
        spread(results, 50) + " / " + spread(results, 95) + " / " + spread(results, 99) + " ms", null);
    report.detail(String.format("%s, %s: %s; the node's CPU went quiet %d ms after the last reply; CPU %s (the"
            + " benchmark's when pinned: load, stubs, PostgreSQL) was %.0f %% busy", database, loop,
        String.join("; ", results.stream().map(DatabasePass::ended).toList()), trailing.toMillis(),
        BENCHMARK_CPU.substring(3), benchmarkBusy));
    report.put(50, "CPU per message (node process), " + latency + " ms model; in brackets the JIT compiler's part and"
        + " the node's context switches per message", latency == 0 ? "≤ 1.5 ms" : "", database,
        String.format("%.2f ms (JIT %.2f ms; %.0f switches)", perMessage.cpuMillis(), perMessage.compilerCpuMillis(),
            perMessage.contextSwitches()),
        latency == 0 ? perMessage.cpuMillis() <= 1.5 : null);
    if (latency != 0) {
      return perSecond.median();
    }
    report.put(60, "journal events per message (0 ms model)", "≤ 3", database,
        String.format("%.2f (%.2f session, %.2f organization)", perMessage.events(), perMessage.sessionEvents(),
            perMessage.orgEvents()), perMessage.events() <= 3);
    boolean counted = !Double.isNaN(perMessage.statements());
    report.put(61, "read-model statements per message (writes outside the journal)", "≤ 5", database,
        counted ? String.format("%.1f", perMessage.readModelWrites()) : "not counted (H2 only)",
        counted ? perMessage.readModelWrites() <= 5 : null);
    report.put(62, "SQL statements per message: all / journal writes / selects", "", database, counted
        ? String.format("%.1f / %.1f / %.1f", perMessage.statements(), perMessage.journalWrites(), perMessage.selects())
        : "not counted (H2 only)", null);
    boolean written = !Double.isNaN(perMessage.fileWrites());
    report.put(62, "H2's writes to its file per message: writes (a chunk per commit written) / KB", "", database,
        written ? String.format("%.2f / %.1f KB", perMessage.fileWrites(), perMessage.fileKilobytes())
            : "not counted (H2 only)", null);
    boolean rows = !Double.isNaN(perMessage.readModelRows());
    report.put(63, "read-model rows written per message (PostgreSQL's table statistics)", "", database,
        rows ? String.format("%.1f", perMessage.readModelRows()) : "not counted (PostgreSQL only)", null);
    return perSecond.median();
  }

  private void threads(int before, Map<String, String> namesBefore, Optional<Long> startedBefore, long messages) {
    int after = node.threads();
    Map<String, String> newcomers = new java.util.TreeMap<>();
    node.threadNames().forEach((tid, name) -> {
      if (!namesBefore.containsKey(tid)) {
        newcomers.merge(name.replaceAll("\\d+", "N"), "1", (a, b) -> String.valueOf(Integer.parseInt(a) + 1));
      }
    });
    report.detail(String.format("%s, threads started during the closed-loop runs and alive after them, by name (Linux"
        + " keeps 15 characters; N for digits): %s", database, newcomers.isEmpty() ? "none"
        : String.join(", ", newcomers.entrySet().stream().map(entry -> entry.getValue() + " × " + entry.getKey()).toList())));
    Optional<Long> startedAfter = node.threadsStarted();
    boolean measured = startedBefore.isPresent() && startedAfter.isPresent();
    long started = measured ? startedAfter.get() - startedBefore.get() : -1;
    report.put(90, "node threads before → after the closed-loop runs (" + messages + " messages);"
        + " threads started during them", "flat; none per message", database, before + " → " + after + "; "
        + (measured ? started + " (" + String.format("%.4f", started / (double) messages) + " per message)" : "not measured (no jcmd)"),
        measured && after <= before + POOL_SLACK && started <= POOL_SLACK);
  }

  /**
   * Threads a pool may start or retire as the load changes (the dispatchers' fork-join pools keep idle
   * workers for a while): a fixed few, whatever the number of messages. One per message would be thousands.
   */
  private static final int POOL_SLACK = 16;

  private void halfLoad(WhatsAppLoad load, double peak) throws Exception {
    stubs.modelLatency(Duration.ZERO);
    int half = options.halfLoadRate() > 0 ? options.halfLoadRate() : Math.max(1, (int) (peak / 2));
    EndToEndBenchmark.log(database + ": open loop at " + half + "/s for " + options.halfLoadSeconds() + " s");
    MessageCosts.Mark mark = costs.mark(node);
    WhatsAppLoad.Result result = load.openLoop(nextRun(), admin.phoneNumberIds(), options.conversations(), half,
        Duration.ofSeconds(options.halfLoadSeconds()));
    node.awaitQuiet(QUIET_WITHIN);
    MessageCosts.PerMessage openLoop = costs.since(mark, node, Math.max(1, result.messages()));
    double cpuPerMessage = openLoop.cpuMillis();
    double switchesPerMessage = openLoop.contextSwitches();
    double p99 = millis(result, 99);
    EndToEndBenchmark.log(String.format("%s, open loop at %d/s: p50 %.1f ms, p99 %.1f ms, %.2f ms CPU per message; %d of %d"
        + " answered", database, half, millis(result, 50), p99, cpuPerMessage, result.answered(), result.messages()));
    List<Long> later = result.laterLatenciesMicros();
    report.put(30, "webhook → reply at half of peak (open loop, 0 ms model): p50 / p99; in brackets the messages after"
            + " their conversation's first; the node's CPU and context switches per message", "p99 ≤ 20 ms", database,
        String.format("%.1f / %.1f ms at %d/s (%d of %d answered) [%.1f / %.1f ms, %d messages]; %.2f ms CPU, %.0f switches",
            millis(result, 50), p99, half, result.answered(), result.messages(), Stats.percentile(later, 50) / 1000,
            Stats.percentile(later, 99) / 1000, later.size(), cpuPerMessage, switchesPerMessage),
        p99 <= 20 && result.answered() == result.messages());
    report.detail(String.format("%s, open loop at %d/s: the node's CPU %.2f ms and %.0f context switches per message, "
            + "%.0f %% of its core%s; messages that arrive one by one share no journal write, projection group or "
            + "thread wake-up, so each costs more than in the closed loop", database, half, cpuPerMessage,
        switchesPerMessage, cpuPerMessage * half / 10, Double.isNaN(openLoop.fileWrites()) ? ""
            : String.format("; H2's file: %.2f writes and %.1f KB per message", openLoop.fileWrites(),
                openLoop.fileKilobytes())));
    List<Long> first = result.firstLatenciesMicros();
    if (!first.isEmpty()) {
      // the loop sends to its conversations in turn: their first messages are its first ones, all at once
      report.detail(String.format("%s, open loop at %d/s: the conversations' first messages (%d, the loop's first %.0f ms:"
              + " each starts its conversation and takes a credit lease) p50 / p99 / max %.1f / %.1f / %.1f ms", database, half,
          first.size(), first.size() * 1000.0 / half, Stats.percentile(first, 50) / 1000, Stats.percentile(first, 99) / 1000,
          first.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0));
    }
    report.detail(String.format("%s, open loop at %d/s: %s", database, half, slowestSeconds(result, p99)));
  }

  /** When the messages over the p99 were sent: a tail from one stall reads as one or two seconds, a steady one as many. */
  static String slowestSeconds(WhatsAppLoad.Result result, double p99Millis) {
    java.util.Map<Long, Long> bySecond = new java.util.TreeMap<>();
    long slow = 0;
    for (WhatsAppLoad.Timed timed : result.timed()) {
      if (timed.latencyMicros() > p99Millis * 1000) {
        bySecond.merge(timed.sentMillis() / 1000, 1L, Long::sum);
        slow++;
      }
    }
    String seconds = bySecond.entrySet().stream()
        .sorted(java.util.Map.Entry.<Long, Long>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()))
        .limit(6).map(entry -> "second " + entry.getKey() + ": " + entry.getValue()).collect(java.util.stream.Collectors.joining(", "));
    return String.format("the %d messages slower than the p99 (%.1f ms) were sent in %d of its seconds%s", slow, p99Millis,
        bySecond.size(), seconds.isEmpty() ? "" : " (most in " + seconds + ")");
  }

  /** The burst with the most conversations: heap per live conversation is measured around it. */
  private int largestBurst() {
    int largest = 0;
    for (int i = 1; i < options.singleOrg().size(); i++) {
      if (options.singleOrg().get(i).conversations() > options.singleOrg().get(largest).conversations()) {
        largest = i;
      }
    }
    return largest;
  }

  private void burst(WhatsAppLoad load, Options.Burst burst, boolean measureHeap) throws Exception {
    stubs.modelLatency(Duration.ZERO);
    EndToEndBenchmark.log(String.format("%s: one organization, %d conversations × %d messages at once", database,
        burst.conversations(), burst.messages()));
    Optional<String> histogramBefore = measureHeap ? node.classHistogram() : Optional.empty();
    if (measureHeap && options.heapDumps()) {
      heapDump("before");
    }
    StubProviders.Counts before = stubs.counts();
    WhatsAppLoad.Result result = load.closedLoop(nextRun(), List.of(admin.soloPhoneNumberId()),
        burst.conversations(), burst.messages());
    node.awaitQuiet(QUIET_WITHIN);
    StubProviders.Counts seen = stubs.counts().minus(before);
    report.put(20, String.format("one organization, %,d concurrent × %d: answered / apologies / timeouts / refused"
        + " / duplicates", burst.conversations(), burst.messages()), "all / 0 / 0 / 0 / 0", database,
        String.format("%d of %d / %d / %d / %d / %d%s", result.answered(), result.messages(), seen.apologies(),
            result.lost(), result.refused(), seen.duplicates(), result.unsent() == 0 ? ""
                : " (" + result.unsent() + " not sent: their conversation had gone silent)"),
        result.answered() == result.messages() && seen.apologies() == 0 && seen.duplicates() == 0);
    report.detail(String.format("%s, one organization, %d × %d: %.0f messages/s, p50 %.0f ms, p99 %.0f ms",
        database, burst.conversations(), burst.messages(), result.perSecond(), millis(result, 50),
        millis(result, 99)));
    if (measureHeap) {
      Optional<String> histogramAfter = node.classHistogram();
      heap(burst.conversations(), histogramBefore.map(HeapHistogram::parse), histogramAfter.map(HeapHistogram::parse));
      if (options.heapDumps()) {
        heapDump("after");
      }
      if (histogramBefore.isPresent() && histogramAfter.isPresent()) {
        Path beforeFile = beside(options.output(), database + "-heap-before.txt");
        Path afterFile = beside(options.output(), database + "-heap-after.txt");
        Files.writeString(beforeFile, histogramBefore.get());
        Files.writeString(afterFile, histogramAfter.get());
        report.detail(String.format("%s, heap after the %,d conversations, the classes that grew most (whole"
                + " histograms in %s and %s): %s", database, burst.conversations(), beforeFile.getFileName(),
            afterFile.getFileName(), HeapHistogram.parse(histogramAfter.get())
                .largestGrowth(HeapHistogram.parse(histogramBefore.get()), HISTOGRAM_CLASSES)));
      }
    }
  }

  private void heapDump(String when) throws IOException {
    Path file = beside(options.output(), database + "-heap-" + when + ".hprof");
    Files.deleteIfExists(file); // jcmd refuses to overwrite
    if (node.heapDump(file)) {
      report.detail(String.format("%s, the node's heap %s the largest burst: %s", database, when, file.getFileName()));
    }
  }

  /** {@code name} in the report's folder, its file name prefixed with the report's. */
  private static Path beside(Path report, String name) {
    Path absolute = report.toAbsolutePath();
    return absolute.resolveSibling(absolute.getFileName().toString().replaceFirst("\\.md$", "") + "-" + name);
  }

  /**
   * The growth of the node's live objects (class histograms: a full GC and the count in one pause) per
   * conversation opened. Taking the heap's "used" after {@code GC.run} instead counted what the node
   * allocated between the two commands (on H2 right after a burst, up to a third more). The live
   * conversations before and after show whether earlier ones were passivated meanwhile.
   */
  private void heap(int conversations, Optional<HeapHistogram> before, Optional<HeapHistogram> after) {
    String label = "heap per live conversation (node, live objects; " + conversations + " conversations opened)";
    if (before.isEmpty() || after.isEmpty()) {
      report.put(80, label, "≤ 5 KB", database, "not measured (no jcmd)", null);
      return;
    }
    long grown = after.get().grownBytes(before.get());
    long shrunk = after.get().shrunkBytes(before.get());
    double perConversation = grown / (double) conversations / 1024;
    boolean few = conversations < MEANINGFUL_HEAP_CONVERSATIONS;
    report.put(80, label, "≤ 5 KB", database, String.format("%.1f KB (the classes that grew: +%d MB; live objects"
            + " %d → %d MB, others freeing %d MB meanwhile; live conversations %,d → %,d)%s",
        perConversation, grown / 1_048_576, before.get().totalBytes() / 1_048_576,
        after.get().totalBytes() / 1_048_576, -shrunk / 1_048_576, before.get().instances(SESSION_ENTITY),
        after.get().instances(SESSION_ENTITY), few ? "; too few conversations to tell" : ""),
        few ? null : perConversation <= 5);
  }

  private void webchat() throws Exception {
    EndToEndBenchmark.log(database + ": webchat, " + options.webchatMessages() + " messages");
    new WebchatProbe(node.baseUrl(), NodeAdmin.WEBCHAT_AGENT).run(WEBCHAT_WARMUP);
    WebchatProbe.Result result = new WebchatProbe(node.baseUrl(), NodeAdmin.WEBCHAT_AGENT)
        .run(options.webchatMessages());
    double p50 = Stats.percentile(result.latenciesMicros(), 50) / 1000;
    report.put(40, "one webchat message, local model: p50 / p99 (answered in the response)", "p50 ≤ 50 ms",
        database, String.format("%.1f / %.1f ms (%d of %d answered)", p50,
            Stats.percentile(result.latenciesMicros(), 99) / 1000, result.messages() - result.notAnswered(),
            result.messages()), p50 <= 50 && result.notAnswered() == 0);
  }

  private void streamedWebchat() throws Exception {
    EndToEndBenchmark.log(database + ": webchat, a streaming model, " + options.webchatMessages() + " messages");
    WebchatStreamingProbe.Result result = new WebchatStreamingProbe(node.baseUrl(), NodeAdmin.STREAMING_AGENT)
        .run(options.webchatMessages());
    long modelWrites = StubProviders.PIECE_INTERVAL.toMillis() * StubProviders.STREAMED_PIECES;
    report.put(41, "one webchat message, streaming model (" + StubProviders.STREAMED_PIECES + " pieces "
            + StubProviders.PIECE_INTERVAL.toMillis() + " ms apart, ~" + modelWrites + " ms): first piece / whole reply on the "
            + "visitor's stream, p50 / p99", "first piece ≪ whole", database,
        String.format("%.1f / %.1f ms; whole %.1f / %.1f ms (%d of %d answered)",
            Stats.percentile(result.firstPieceMicros(), 50) / 1000, Stats.percentile(result.firstPieceMicros(), 99) / 1000,
            Stats.percentile(result.wholeMicros(), 50) / 1000, Stats.percentile(result.wholeMicros(), 99) / 1000,
            result.messages() - result.notAnswered(), result.messages()),
        result.notAnswered() == 0 && Stats.percentile(result.firstPieceMicros(), 50) * 4 < Stats.percentile(result.wholeMicros(), 50));
  }

  /**
   * A replay of the bursts' organization's latest conversations (as many as hold at most a replay's 500 turns) against
   * a candidate on the local model: the replay machinery's own cost, the model's being next to nothing. A small replay
   * first warms the code up.
   */
  private void replay() throws Exception {
    if (options.singleOrg().isEmpty()) {
      report.put(42, "a replay of recorded conversations against a candidate on the local model", "all run", database,
          "not measured: no burst recorded conversations to replay (--single-org is empty)", null);
      return;
    }
    int messages = options.singleOrg().stream().mapToInt(Options.Burst::messages).max().orElse(1);
    int conversations = Math.max(1, Math.min(100, REPLAY_TURNS / messages));
    EndToEndBenchmark.log(database + ": a replay of " + conversations + " conversations");
    ReplayProbe probe = new ReplayProbe(node.baseUrl(), admin.replayKey());
    if (probe.run(node, admin.soloAgent(), Math.min(10, conversations), REPLAY_WITHIN).isEmpty()) {
      report.put(42, "a replay of recorded conversations against a candidate on the local model", "all run", database,
          "not measured: the node has no replays", null);
      return;
    }
    node.awaitQuiet(QUIET_WITHIN);
    ReplayProbe.Result result = probe.run(node, admin.soloAgent(), conversations, REPLAY_WITHIN).orElseThrow();
    report.put(42, "a replay of " + conversations + " recorded conversations against a candidate on the local model: "
            + "turns, turns/s, node CPU per turn (its progress read every " + ReplayProbe.POLL.toMillis() + " ms)", "all run",
        database, String.format("%d turns in %.1f s: %.0f turns/s, %.2f ms CPU per turn (%d skipped or failed)", result.turns(),
            result.elapsed().toMillis() / 1000.0, result.turnsPerSecond(), result.cpuMillisPerTurn(), result.notDone()),
        result.notDone() == 0 && result.turns() > 0);
  }

  /**
   * Waits until the conversations' unspent credit leases went back (each after its idle time, the last of the
   * largest burst about a minute after its turn), so that idle CPU at the end is not their return.
   */
  private void awaitLeasesBack() throws Exception {
    long started = System.nanoTime();
    long deadline = started + LEASES_BACK_WITHIN.toNanos();
    long reserved = admin.reserved();
    while (reserved > 0 && System.nanoTime() < deadline) {
      node.awaitFor(Duration.ofSeconds(1));
      reserved = admin.reserved();
    }
    report.detail(String.format("%s: the leases went back %d s after the last scenario%s", database,
        (System.nanoTime() - started) / 1_000_000_000L, reserved > 0 ? " (not all: " + reserved + " credits still held)" : ""));
  }

  /** Idle CPU at the end against the start; "not growing" allows a quarter more, or 5 ms/s. */
  private void idle(double atStart, long eventsAtStart) throws Exception {
    double atEnd = node.cpuMillisPerSecond(IDLE_WINDOW);
    long eventsAtEnd = costs.mark(node).ordering();
    report.put(70, "idle CPU of the node, ms/s: at start → after the runs (journal events)", "not growing",
        database, String.format("%.0f (%,d) → %.0f (%,d)", atStart, eventsAtStart, atEnd, eventsAtEnd),
        atEnd <= Math.max(atStart * 1.25, atStart + 5));
  }

  private String nextRun() {
    return Integer.toString(++run);
  }

  private static double millis(WhatsAppLoad.Result result, double percentile) {
    return Stats.percentile(result.latenciesMicros(), percentile) / 1000;
  }

  private static String spread(List<WhatsAppLoad.Result> results, double percentile) {
    return Stats.Spread.of(results.stream().map(result -> millis(result, percentile)).toList()).format("", 0);
  }

  /** How a run's messages ended, in words. */
  private static String ended(WhatsAppLoad.Result run) {
    return String.format("%d messages: %d answered, %d apologies, %d timed out, %d refused, %d not sent",
        run.messages(), run.answered(), run.apologized(), run.lost(), run.refused(), run.unsent());
  }
}
