package io.layercake.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.Secret;
import io.layercake.persistence.jdbc.H2FileServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end benchmark. The node is its own process ({@code java -jar http/target/layercake.jar},
 * configured by {@code LAYERCAKE_*} variables, pinned to CPU 0 with {@code taskset} when it exists);
 * this process (load, stub model, stub WhatsApp Graph API, and the embedded PostgreSQL it starts)
 * runs pinned to CPU 1. On each database it warms the node up, then measures a closed loop with a
 * 0 ms and a 500 ms model, bursts of concurrent conversations on one organization, the webhook →
 * reply latency at half of peak, a single webchat message on the local model, and per message the
 * node's CPU, journal events and (H2) SQL statements; the node's threads, heap per live conversation
 * and idle CPU; duplicates, fail-open apologies and the ledger audit. The report goes to the log and
 * {@code target/bench/report.md}.
 */
public final class EndToEndBenchmark {
  static final String ADMIN_TOKEN = "bench-operator-token-0123456789";
  static final Secret APP_SECRET = Secret.of("bench-meta-app-secret");
  private static final String PINNED = "LAYERCAKE_BENCH_PINNED";
  private static final String NODE_CPU = "0";
  private static final String BENCH_CPU = "1";
  private static final String SOLO_ORG = "bench-solo";
  private static final String WEBCHAT_AGENT = "bench-webchat";
  /** Below this many conversations, heap after GC varies by more than they take. */
  private static final int MEANINGFUL_HEAP_CONVERSATIONS = 1_000;
  private static final Duration QUIET_WITHIN = Duration.ofSeconds(30);
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EndToEndBenchmark.class);

  private final Options options;
  private final boolean pinned;
  private final Report report = new Report();
  private final HttpClient admin = HttpClient.newHttpClient();
  private int run;

  private EndToEndBenchmark(Options options, boolean pinned) {
    this.options = options;
    this.pinned = pinned;
  }

  /** A burst on one organization: {@code conversations} at once, each writing {@code messages} in a closed loop. */
  record Burst(int conversations, int messages) {
    static Burst parse(String text) {
      String[] parts = text.trim().split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException("a burst is CONVERSATIONSxMESSAGES, e.g. 1000x5; got " + text);
      }
      return new Burst(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
  }

  /** Sizes of the run (see {@link #USAGE}); the defaults are issue 19's scenarios. */
  record Options(List<String> databases, int orgs, int conversations, int messages, int runs, List<Integer> latenciesMillis,
      int warmupConversations, int warmupMessages, List<Burst> singleOrg, int halfLoadSeconds, int webchatMessages,
      Duration replyTimeout, Duration runTimeout, int maxInFlight, Path nodeJar, List<String> nodeJavaOptions, boolean pin, String llmThreads,
      Path output) {
    private static final Set<String> FLAGS = Set.of("databases", "orgs", "conversations", "messages", "runs", "latencies",
        "warmup-conversations", "warmup-messages", "single-org", "half-load-seconds", "webchat-messages", "reply-timeout-seconds",
        "run-timeout-seconds", "max-in-flight", "node-jar", "node-java-options", "pin", "llm-threads", "output");

    static Options parse(String[] args) {
      Map<String, String> given = new HashMap<>();
      if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
        System.out.println(USAGE);
        System.exit(0);
      }
      for (int i = 0; i < args.length; i += 2) {
        String flag = args[i].replaceFirst("^--", "");
        if (!args[i].startsWith("--") || !FLAGS.contains(flag) || i + 1 >= args.length) {
          throw new IllegalArgumentException("unknown flag or missing value: " + args[i]);
        }
        given.put(flag, args[i + 1]);
      }
      Options options = new Options(
          Arrays.asList(given.getOrDefault("databases", "h2,postgres").split(",")),
          Integer.parseInt(given.getOrDefault("orgs", "10")),
          Integer.parseInt(given.getOrDefault("conversations", "100")),
          Integer.parseInt(given.getOrDefault("messages", "20")),
          Integer.parseInt(given.getOrDefault("runs", "3")),
          Arrays.stream(given.getOrDefault("latencies", "0,500").split(",")).map(Integer::parseInt).toList(),
          Integer.parseInt(given.getOrDefault("warmup-conversations", "100")),
          Integer.parseInt(given.getOrDefault("warmup-messages", "20")),
          Arrays.stream(given.getOrDefault("single-org", "1000x5,10000x1").split(",")).filter(s -> !s.isBlank())
              .map(Burst::parse).toList(),
          Integer.parseInt(given.getOrDefault("half-load-seconds", "15")),
          Integer.parseInt(given.getOrDefault("webchat-messages", "20")),
          Duration.ofSeconds(Long.parseLong(given.getOrDefault("reply-timeout-seconds", "120"))),
          Duration.ofSeconds(Long.parseLong(given.getOrDefault("run-timeout-seconds", "600"))),
          Integer.parseInt(given.getOrDefault("max-in-flight", "256")),
          Path.of(given.getOrDefault("node-jar", "http/target/layercake.jar")),
          Arrays.stream(given.getOrDefault("node-java-options", "").split(" ")).filter(s -> !s.isBlank()).toList(),
          Boolean.parseBoolean(given.getOrDefault("pin", "true")),
          given.getOrDefault("llm-threads", ""),
          Path.of(given.getOrDefault("output", "target/bench/report.md")));
      for (String database : options.databases()) {
        if (!database.equals("h2") && !database.equals("postgres")) {
          throw new IllegalArgumentException("--databases takes h2 and/or postgres; got " + database);
        }
      }
      return options;
    }
  }

  static final String USAGE = """
      java -jar bench/target/layercake-bench.jar [--flag value]...  (from the repository's root, after mvn -B -q package -DskipTests)
        --databases h2,postgres        databases, one pass each (embedded PostgreSQL started by the benchmark)
        --orgs 10                      organizations the closed loop's conversations are spread over
        --conversations 100            closed loop: conversations at once ...
        --messages 20                  ... each writing this many messages, the next once the reply came
        --runs 3                       closed-loop runs per model latency (median, min and max)
        --latencies 0,500              stub model latencies in ms, one series of runs each
        --warmup-conversations 100     warm-up before anything is measured: conversations ...
        --warmup-messages 20           ... times messages (0 ms model)
        --single-org 1000x5,10000x1    bursts on one organization: conversations x messages, all at once
        --half-load-seconds 15         open loop at half of the 0 ms peak, this long
        --webchat-messages 20          one webchat visitor's messages, one after the other, local model
        --reply-timeout-seconds 120    a message with no reply after this long counts as a timeout (its conversation stops)
        --run-timeout-seconds 600      no message of a run is sent after this long (counted as not sent)
        --max-in-flight 256            webhook requests open at once (conversations waiting for replies are not limited)
        --node-jar http/target/layercake.jar
        --node-java-options ""         JVM options of the node, space-separated (e.g. "-Xmx1g")
        --pin true                     taskset: node on CPU 0, this process on CPU 1 (when taskset exists and there are 2 CPUs)
        --llm-threads N                LAYERCAKE_LLM_MAX_CONCURRENT_CALLS of the node (its default otherwise)
        --output target/bench/report.md
      """;

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("layercake-bench: " + e.getMessage() + "\n\n" + USAGE);
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(options.nodeJar())) {
      System.err.println("layercake-bench: no node jar at " + options.nodeJar().toAbsolutePath()
          + "; build it with mvn -B -q package -DskipTests, run from the repository's root, or pass --node-jar");
      System.exit(2);
    }
    boolean pinned = options.pin() && System.getenv(PINNED) != null;
    if (options.pin() && !pinned) {
      Optional<String> cannot = whyNotPinned();
      if (cannot.isEmpty()) {
        System.exit(underTaskset(args));
      }
      log("not pinned: " + cannot.get());
    }
    long started = System.nanoTime();
    EndToEndBenchmark benchmark = new EndToEndBenchmark(options, pinned);
    for (String database : options.databases()) {
      benchmark.pass(database);
    }
    String markdown = benchmark.report.markdown(benchmark.setup(), Duration.ofNanos(System.nanoTime() - started));
    Path output = options.output().toAbsolutePath();
    Files.createDirectories(output.getParent());
    Files.writeString(output, markdown);
    log("Report written to " + output + ":\n" + markdown);
    System.exit(0);
  }

  /** Why {@code taskset} cannot pin the node and this process to CPUs of their own; empty when it can. */
  private static Optional<String> whyNotPinned() {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return Optional.of("fewer than 2 CPUs");
    }
    try {
      Process probe = new ProcessBuilder("taskset", "-c", NODE_CPU + "," + BENCH_CPU, "true").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0 ? Optional.empty()
          : Optional.of("taskset -c " + NODE_CPU + "," + BENCH_CPU + " failed");
    } catch (Exception e) {
      return Optional.of("no taskset (" + e.getMessage() + ")");
    }
  }

  /** Runs this benchmark again, the same JVM options and arguments, under {@code taskset -c 1}; returns its exit code. */
  private static int underTaskset(String[] args) throws Exception {
    List<String> command = new ArrayList<>(List.of("taskset", "-c", BENCH_CPU,
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), EndToEndBenchmark.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put(PINNED, Integer.toString(Runtime.getRuntime().availableProcessors()));
    Process child = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
    return child.waitFor();
  }

  private String setup() {
    String pinning = pinned
        ? "The node ran pinned to CPU " + NODE_CPU + " (taskset -c " + NODE_CPU + "); this process (load, stub model, stub Graph API,"
            + " embedded PostgreSQL) pinned to CPU " + BENCH_CPU + "."
        : "Not pinned: the node and this process shared the machine's CPUs.";
    String cpus = pinned ? System.getenv(PINNED) : Integer.toString(Runtime.getRuntime().availableProcessors());
    return "Machine: " + cpus + " CPUs, Java "
        + System.getProperty("java.version") + ". The node: java " + String.join(" ", options.nodeJavaOptions())
        + (options.nodeJavaOptions().isEmpty() ? "" : " ") + "-jar " + options.nodeJar() + ", its own process. " + pinning + " Closed loop: " + options.conversations()
        + " conversations × " + options.messages() + " messages over " + options.orgs() + " organizations, " + options.runs()
        + " runs per model latency (median (min–max)), after a warm-up of " + options.warmupConversations() + " × "
        + options.warmupMessages() + ". Latency: signed webhook sent → reply at the Graph API stub. CPU: the node's process"
        + " (/proc utime + stime) from the first message to the moment its CPU went quiet after the last reply. On PostgreSQL"
        + " the database's own CPU is not the node's and is not counted.";
  }

  private void pass(String database) throws Exception {
    report.database(database);
    Path directory = Files.createTempDirectory("layercake-bench-" + database);
    EmbeddedPostgres postgres = database.equals("postgres")
        ? EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()
        : null;
    try (StubProviders stubs = StubProviders.start()) {
      Map<String, String> environment = environment(directory, stubs);
      DatabaseSettings db;
      if (postgres != null) {
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        environment.put("LAYERCAKE_DB_URL", url);
        environment.put("LAYERCAKE_DB_USER", "postgres");
        environment.put("LAYERCAKE_DB_PASSWORD", "postgres");
        db = DatabaseSettings.postgres(url, "postgres", "postgres", 1);
      } else {
        db = null;
      }
      log(database + ": starting the node, log in " + directory.resolve("node.log"));
      try (NodeProcess node = NodeProcess.start(options.nodeJar(), directory, environment, options.nodeJavaOptions(),
          pinned ? NODE_CPU : "")) {
        if (db == null) {
          db = H2FileServer.reachable(DatabaseSettings.h2File(directory.resolve("data"), 1));
          if (db.url().startsWith("jdbc:h2:file:")) {
            throw new IllegalStateException("the node serves no TCP port for its H2 file (" + directory.resolve("data")
                + "): the benchmark cannot count its events");
          }
        }
        new Pass(database, node, stubs, new MessageCosts(db)).measure();
      }
      deleteRecursively(directory);
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  /** One database's figures, against one node. */
  private final class Pass {
    private final String database;
    private final NodeProcess node;
    private final StubProviders stubs;
    private final MessageCosts costs;
    private final String base;

    Pass(String database, NodeProcess node, StubProviders stubs, MessageCosts costs) {
      this.database = database;
      this.node = node;
      this.stubs = stubs;
      this.costs = costs;
      this.base = node.baseUrl();
    }

    void measure() throws Exception {
      setUp(base);
      costs.startCounting();
      node.awaitQuiet(QUIET_WITHIN);
      double idleAtStart = node.cpuMillisPerSecond(IDLE_WINDOW);
      long eventsAtStart = events();
      StubProviders.Counts beforeAll;
      try (WhatsAppLoad load = new WhatsAppLoad(base, APP_SECRET, stubs, options.replyTimeout(), options.runTimeout(),
          options.maxInFlight())) {
        log(database + ": warming up, " + options.warmupConversations() + " × " + options.warmupMessages());
        stubs.modelLatency(Duration.ZERO);
        WhatsAppLoad.Result warmup = load.closedLoop(nextRun(), phoneNumberIds(), options.warmupConversations(),
            options.warmupMessages());
        report.detail(String.format("%s warm-up: %.0f messages/s, %s", database, warmup.perSecond(), ended(warmup)));
        node.awaitQuiet(QUIET_WITHIN);
        beforeAll = stubs.counts();

        int threadsBefore = node.threads();
        Optional<Long> startedBefore = node.threadsStarted();
        long steadyMessages = 0;
        double peak = 0;
        for (int latency : options.latenciesMillis()) {
          stubs.modelLatency(Duration.ofMillis(latency));
          MessageCosts.Mark mark = costs.mark(node);
          List<WhatsAppLoad.Result> results = new ArrayList<>();
          for (int i = 0; i < options.runs(); i++) {
            WhatsAppLoad.Result result = load.closedLoop(nextRun(), phoneNumberIds(), options.conversations(), options.messages());
            log(String.format("%s, model %d ms, run %d: %.0f messages/s, p50 %.1f ms, p99 %.1f ms; %s", database, latency, i + 1,
                result.perSecond(), Stats.percentile(result.latenciesMicros(), 50) / 1000,
                Stats.percentile(result.latenciesMicros(), 99) / 1000, ended(result)));
            results.add(result);
          }
          Duration trailing = node.awaitQuiet(QUIET_WITHIN);
          long messages = results.stream().mapToLong(WhatsAppLoad.Result::messages).sum();
          steadyMessages += messages;
          MessageCosts.PerMessage perMessage = costs.since(mark, node, messages);
          double perSecond = closedLoop(latency, results, perMessage, trailing);
          if (latency == 0) {
            peak = perSecond;
          }
        }
        threads(threadsBefore, startedBefore, steadyMessages);
        if (peak > 0) {
          halfLoad(load, peak);
        }
        for (int i = 0; i < options.singleOrg().size(); i++) {
          burst(load, options.singleOrg().get(i), i == largestBurst());
        }
      }
      webchat();
      node.awaitQuiet(QUIET_WITHIN);
      idle(idleAtStart, eventsAtStart);
      StubProviders.Counts all = stubs.counts().minus(beforeAll);
      boolean clean = audit(base);
      report.put(100, "duplicates / fail-open apologies / ledger audit (all measured scenarios)", "0 / 0 / clean", database,
          all.duplicates() + " / " + all.apologies() + " / " + (clean ? "clean" : "violations"),
          all.duplicates() == 0 && all.apologies() == 0 && clean);
    }

    /** Rows for one model latency: throughput, latency, and the costs per message. Returns the median messages/s. */
    private double closedLoop(int latency, List<WhatsAppLoad.Result> results, MessageCosts.PerMessage perMessage,
        Duration trailing) {
      Stats.Spread perSecond = Stats.Spread.of(results.stream().map(WhatsAppLoad.Result::perSecond).toList());
      String loop = options.conversations() + " × " + options.messages() + " closed loop, " + latency + " ms model";
      String target = latency == 0 ? "≥ 700" : latency == 500 ? "≥ 600" : "";
      double needed = latency == 0 ? 700 : latency == 500 ? 600 : Double.NaN;
      report.put(10, "messages/s, " + loop, target, database, perSecond.format("", 0),
          Double.isNaN(needed) ? null : perSecond.median() >= needed);
      report.put(10, "latency p50 / p95 / p99, " + loop, "", database, String.format("%s / %s / %s ms",
          Stats.Spread.of(results.stream().map(run -> Stats.percentile(run.latenciesMicros(), 50) / 1000).toList()).format("", 0),
          Stats.Spread.of(results.stream().map(run -> Stats.percentile(run.latenciesMicros(), 95) / 1000).toList()).format("", 0),
          Stats.Spread.of(results.stream().map(run -> Stats.percentile(run.latenciesMicros(), 99) / 1000).toList()).format("", 0)),
          null);
      report.detail(String.format("%s, %s: %s; the node's CPU went quiet %d ms after the last reply", database, loop,
          String.join("; ", results.stream().map(EndToEndBenchmark::ended).toList()), trailing.toMillis()));
      report.put(50, "CPU per message (node process), " + latency + " ms model", latency == 0 ? "≤ 1.5 ms" : "", database,
          String.format("%.2f ms", perMessage.cpuMillis()), latency == 0 ? perMessage.cpuMillis() <= 1.5 : null);
      if (latency == 0) {
        report.put(60, "journal events per message (0 ms model)", "≤ 3", database, String.format("%.2f (%.2f session, %.2f organization)",
            perMessage.events(), perMessage.sessionEvents(), perMessage.orgEvents()), perMessage.events() <= 3);
        boolean counted = !Double.isNaN(perMessage.statements());
        report.put(61, "read-model statements per message (writes outside the journal)", "≤ 5", database,
            counted ? String.format("%.1f", perMessage.readModelWrites()) : "not counted (H2 only)",
            counted ? perMessage.readModelWrites() <= 5 : null);
        report.put(62, "SQL statements per message: all / journal writes / selects", "", database, counted
            ? String.format("%.1f / %.1f / %.1f", perMessage.statements(), perMessage.journalWrites(), perMessage.selects())
            : "not counted (H2 only)", null);
        boolean rows = !Double.isNaN(perMessage.readModelRows());
        report.put(63, "read-model rows written per message (PostgreSQL's table statistics)", "", database,
            rows ? String.format("%.1f", perMessage.readModelRows()) : "not counted (PostgreSQL only)", null);
      }
      return perSecond.median();
    }

    private void threads(int before, Optional<Long> startedBefore, long messages) {
      int after = node.threads();
      Optional<Long> startedAfter = node.threadsStarted();
      String started = startedBefore.isPresent() && startedAfter.isPresent()
          ? String.format("%.3f", (startedAfter.get() - startedBefore.get()) / (double) messages)
          : "not measured (no jcmd)";
      boolean flat = after <= before;
      boolean none = startedBefore.isPresent() && startedAfter.isPresent() && startedAfter.get() - startedBefore.get() == 0;
      report.put(90, "node threads before → after the closed-loop runs (" + messages + " messages); threads started per message",
          "flat; 0", database, before + " → " + after + "; " + started, flat && none);
    }

    private void halfLoad(WhatsAppLoad load, double peak) throws Exception {
      stubs.modelLatency(Duration.ZERO);
      int half = Math.max(1, (int) (peak / 2));
      log(database + ": open loop at " + half + "/s for " + options.halfLoadSeconds() + " s");
      WhatsAppLoad.Result result = load.openLoop(nextRun(), phoneNumberIds(), options.conversations(), half,
          Duration.ofSeconds(options.halfLoadSeconds()));
      double p99 = Stats.percentile(result.latenciesMicros(), 99) / 1000;
      report.put(30, "webhook → reply at half of peak (open loop, 0 ms model): p50 / p99", "p99 ≤ 20 ms", database,
          String.format("%.1f / %.1f ms at %d/s (%d timed out)", Stats.percentile(result.latenciesMicros(), 50) / 1000, p99, half,
              result.lost()), p99 <= 20 && result.lost() == 0);
      node.awaitQuiet(QUIET_WITHIN);
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

    private void burst(WhatsAppLoad load, Burst burst, boolean measureHeap) throws Exception {
      stubs.modelLatency(Duration.ZERO);
      log(String.format("%s: one organization, %d conversations × %d messages at once", database, burst.conversations(),
          burst.messages()));
      Optional<Long> heapBefore = measureHeap ? node.heapAfterGcBytes() : Optional.empty();
      StubProviders.Counts before = stubs.counts();
      WhatsAppLoad.Result result = load.closedLoop(nextRun(), List.of(phoneNumberId(options.orgs())), burst.conversations(),
          burst.messages());
      node.awaitQuiet(QUIET_WITHIN);
      StubProviders.Counts seen = stubs.counts().minus(before);
      boolean allAnswered = result.answered() == result.messages() && seen.apologies() == 0 && seen.duplicates() == 0;
      report.put(20, String.format("one organization, %,d concurrent × %d: answered / apologies / timeouts / refused / duplicates",
          burst.conversations(), burst.messages()), "all / 0 / 0 / 0 / 0", database, String.format("%d of %d / %d / %d / %d / %d%s",
          result.answered(), result.messages(), seen.apologies(), result.lost(), result.refused(), seen.duplicates(),
          result.unsent() == 0 ? "" : " (" + result.unsent() + " not sent: their conversation had gone silent)"), allAnswered);
      report.detail(String.format("%s, one organization, %d × %d: %.0f messages/s, p50 %.0f ms, p99 %.0f ms", database,
          burst.conversations(), burst.messages(), result.perSecond(), Stats.percentile(result.latenciesMicros(), 50) / 1000,
          Stats.percentile(result.latenciesMicros(), 99) / 1000));
      if (measureHeap) {
        Optional<Long> heapAfter = node.heapAfterGcBytes();
        if (heapBefore.isPresent() && heapAfter.isPresent() && burst.conversations() > 0) {
          double perConversation = (heapAfter.get() - heapBefore.get()) / (double) burst.conversations() / 1024;
          boolean few = burst.conversations() < MEANINGFUL_HEAP_CONVERSATIONS;
          report.put(80, "heap per live conversation (node, after GC; " + burst.conversations() + " conversations opened)", "≤ 5 KB",
              database, String.format("%.1f KB (%d → %d MB)%s", perConversation, heapBefore.get() / 1_048_576,
                  heapAfter.get() / 1_048_576, few ? "; too few conversations to tell" : ""),
              few ? null : perConversation <= 5);
        } else {
          report.put(80, "heap per live conversation (node, after GC)", "≤ 5 KB", database, "not measured (no jcmd)", null);
        }
      }
    }

    private void webchat() throws Exception {
      log(database + ": webchat, " + options.webchatMessages() + " messages");
      new WebchatProbe(base, WEBCHAT_AGENT).run(3);
      WebchatProbe.Result result = new WebchatProbe(base, WEBCHAT_AGENT).run(options.webchatMessages());
      double p50 = Stats.percentile(result.latenciesMicros(), 50) / 1000;
      report.put(40, "one webchat message, local model: p50 / p99 (answered in the response)", "p50 ≤ 50 ms", database,
          String.format("%.1f / %.1f ms (%d of %d answered)", p50, Stats.percentile(result.latenciesMicros(), 99) / 1000,
              result.messages() - result.notAnswered(), result.messages()), p50 <= 50 && result.notAnswered() == 0);
    }

    private void idle(double atStart, long eventsAtStart) throws Exception {
      double atEnd = node.cpuMillisPerSecond(IDLE_WINDOW);
      long eventsAtEnd = events();
      report.put(70, "idle CPU of the node, ms/s: at start → after the runs (journal events)", "not growing", database,
          String.format("%.0f (%,d) → %.0f (%,d)", atStart, eventsAtStart, atEnd, eventsAtEnd), atEnd <= Math.max(atStart * 1.25, atStart + 5));
    }

    private long events() throws Exception {
      return costs.mark(node).ordering();
    }
  }

  /** The node's data and log, once its pass succeeded; a failed pass leaves them for a look. */
  private static void deleteRecursively(Path directory) throws java.io.IOException {
    try (var paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** How a run's messages ended, in words. */
  static String ended(WhatsAppLoad.Result run) {
    return String.format("%d messages: %d answered, %d apologies, %d timed out, %d refused, %d not sent", run.messages(),
        run.answered(), run.apologized(), run.lost(), run.refused(), run.unsent());
  }

  private String nextRun() {
    return Integer.toString(++run);
  }

  private Map<String, String> environment(Path directory, StubProviders stubs) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("LAYERCAKE_DATA_DIR", directory.resolve("data").toString());
    environment.put("LAYERCAKE_CLUSTER_HOST", "127.0.0.1");
    environment.put("LAYERCAKE_CLUSTER_PORT", "0");
    environment.put("LAYERCAKE_CLUSTER_MANAGEMENT_PORT", "0");
    environment.put("LAYERCAKE_ADMIN_TOKEN", ADMIN_TOKEN);
    environment.put("LAYERCAKE_DEMO_ENABLED", "false");
    environment.put("LAYERCAKE_LLM_OPENAI_BASE_URL", stubs.baseUrl() + "/v1");
    environment.put("LAYERCAKE_LLM_OPENAI_API_KEY", "sk-bench");
    environment.put("LAYERCAKE_CHANNELS_WHATSAPP_GRAPH_BASE_URL", stubs.baseUrl());
    environment.put("LAYERCAKE_CHANNELS_WHATSAPP_APP_SECRET", APP_SECRET.reveal());
    // one visitor's messages in a row are the webchat probe, not abuse
    environment.put("LAYERCAKE_CHANNELS_WEBCHAT_FREE_MESSAGES_PER_MINUTE", "10000");
    environment.put("LAYERCAKE_CHANNELS_WEBCHAT_PAID_MESSAGES_PER_MINUTE", "10000");
    // every conversation opened stays live for the whole run: heap per live conversation counts them all
    environment.put("LAYERCAKE_ENTITIES_PASSIVATION_IDLE_TIMEOUT", "30m");
    if (!options.llmThreads().isEmpty()) {
      environment.put("LAYERCAKE_LLM_MAX_CONCURRENT_CALLS", options.llmThreads());
    }
    return environment;
  }

  /**
   * Organizations with credits for every message, each with an agent on the stub model bound to its
   * own WhatsApp number: {@code orgs} for the closed loop, one more ({@value #SOLO_ORG}) for the bursts
   * on a single organization, and a webchat agent on the local model.
   */
  private void setUp(String base) throws Exception {
    for (int i = 0; i <= options.orgs(); i++) {
      String org = i == options.orgs() ? SOLO_ORG : "bench-" + i;
      expect(post(base, "/admin/organizations", "{\"id\":\"" + org + "\",\"name\":\"Bench " + i + "\",\"tier\":\"pro\"}"), 201, 409);
      expect(post(base, "/admin/organizations/" + org + "/purchases", "{\"idempotencyKey\":\"bench-credits\",\"credits\":100000000}"),
          200);
      expect(post(base, "/admin/agents", "{\"agentId\":\"" + agentId(i) + "\",\"orgId\":\"" + org + "\",\"name\":\"Bench\","
          + "\"doubleTexting\":\"queue\",\"model\":{\"provider\":\"openai\",\"model\":\"stub\",\"temperature\":0.0}}"), 201, 409);
      expect(post(base, "/admin/agents/" + agentId(i) + "/channels", "{\"channel\":\"whatsapp\",\"address\":\"" + phoneNumberId(i)
          + "\"}"), 201, 409);
      expect(send(base, "PUT", "/admin/organizations/" + org + "/channels/whatsapp", "{\"accessToken\":\"bench-whatsapp-token\"}"),
          200, 204);
    }
    expect(post(base, "/admin/agents", "{\"agentId\":\"" + WEBCHAT_AGENT + "\",\"orgId\":\"bench-0\",\"name\":\"Bench webchat\","
        + "\"model\":{\"provider\":\"local\",\"model\":\"local\",\"temperature\":0.0}}"), 201, 409);
  }

  static String agentId(int org) {
    return "bench-agent-" + org;
  }

  static String phoneNumberId(int org) {
    return "10987654321" + org;
  }

  private List<String> phoneNumberIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < options.orgs(); i++) {
      ids.add(phoneNumberId(i));
    }
    return ids;
  }

  private boolean audit(String base) throws Exception {
    HttpResponse<String> response = admin.send(request(base, "/admin/audit/ledger").GET().build(), HttpResponse.BodyHandlers.ofString());
    JsonNode audit = JSON.readTree(response.body());
    return audit.path("clean").asBoolean(false);
  }

  private HttpResponse<String> post(String base, String path, String body) throws Exception {
    return send(base, "POST", path, body);
  }

  private HttpResponse<String> send(String base, String method, String path, String body) throws Exception {
    return admin.send(request(base, path).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  static void expect(HttpResponse<String> response, int... statuses) {
    for (int status : statuses) {
      if (response.statusCode() == status) {
        return;
      }
    }
    throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " -> " + response.statusCode() + " "
        + response.body());
  }

  static void log(String line) {
    log.info(line);
  }
}
