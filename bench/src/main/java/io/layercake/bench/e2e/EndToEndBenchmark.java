package io.layercake.bench.e2e;

import io.layercake.config.DatabaseSettings;
import io.layercake.config.Secret;
import io.layercake.persistence.jdbc.H2FileServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The end-to-end benchmark. The node is its own process ({@code java -jar http/target/layercake.jar},
 * configured by {@code LAYERCAKE_*} variables, pinned to CPU 0 with {@code taskset} when it can be);
 * this process (load, stub model, stub WhatsApp Graph API, and the embedded PostgreSQL it starts)
 * runs pinned to CPU 1. Each database gets a fresh node and a {@link DatabasePass}. The report goes to
 * the log and {@code target/bench/report.md}.
 */
public final class EndToEndBenchmark {
  static final Secret APP_SECRET = Secret.of("bench-meta-app-secret");
  private static final String PINNED = "LAYERCAKE_BENCH_PINNED";
  private static final String NODE_CPU = "0";
  static final String BENCH_CPU = "1";
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EndToEndBenchmark.class);

  private final Options options;
  private final boolean pinned;
  private final Report report = new Report();

  private EndToEndBenchmark(Options options, boolean pinned) {
    this.options = options;
    this.pinned = pinned;
  }

  public static void main(String[] args) throws Exception {
    if (Options.help(args)) {
      System.out.println(Options.USAGE);
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("layercake-bench: " + e.getMessage() + "\n\n" + Options.USAGE);
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(options.nodeJar())) {
      System.err.println("layercake-bench: no node jar at " + options.nodeJar().toAbsolutePath() + "; build it with"
          + " mvn -B -q package -DskipTests, run from the repository's root, or pass --node-jar");
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
    if (options.bulkheadMessages() > 0) {
      benchmark.bulkheads();
    }
    String markdown = benchmark.report.markdown(benchmark.setup(), Duration.ofNanos(System.nanoTime() - started));
    Path output = options.output().toAbsolutePath();
    Files.createDirectories(output.getParent());
    Files.writeString(output, markdown);
    log("Report written to " + output + ":\n" + markdown);
    System.exit(0);
  }

  /** Why {@code taskset} cannot pin the node and this process to CPUs of their own; empty when it can. */
  private static Optional<String> whyNotPinned() throws InterruptedException {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return Optional.of("fewer than 2 CPUs");
    }
    String cpus = NODE_CPU + "," + BENCH_CPU;
    try {
      Process probe = new ProcessBuilder("taskset", "-c", cpus, "true").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0 ? Optional.empty()
          : Optional.of("taskset -c " + cpus + " failed");
    } catch (IOException e) {
      return Optional.of("no taskset (" + e.getMessage() + ")");
    }
  }

  /** Runs this benchmark again, same JVM options and arguments, under {@code taskset -c 1}; returns its exit code. */
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
    String cpus = pinned ? System.getenv(PINNED) : Integer.toString(Runtime.getRuntime().availableProcessors());
    String pinning = pinned
        ? "The node ran pinned to CPU " + NODE_CPU + " (taskset -c " + NODE_CPU + "); this process (load, stub"
            + " model, stub Graph API, embedded PostgreSQL) pinned to CPU " + BENCH_CPU + "."
        : "Not pinned: the node and this process shared the machine's CPUs.";
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(options.nodeJavaOptions());
    command.addAll(List.of("-jar", options.nodeJar().toString()));
    return "Machine: " + cpus + " CPUs, Java " + System.getProperty("java.version") + ". The node: "
        + String.join(" ", command) + ", its own process. " + pinning + " Closed loop: " + options.conversations()
        + " conversations × "
        + options.messages() + " messages over " + options.orgs() + " organizations ("
        + options.slowModelConversations() + " conversations with a slower model, after one run of them not counted;"
        + " model calls in flight on the node: " + (options.llmThreads().isEmpty() ? "its default" : options.llmThreads())
        + "), "
        + options.runs()
        + " runs per model latency (median (min–max)), after a warm-up in rounds of " + options.warmupConversations()
        + " × " + options.warmupMessages() + " until the JIT compiler took at most " + options.warmupJitPercent()
        + " % of the node's CPU over 5 rounds (at least " + options.warmupMinMessages() + ", at most "
        + options.warmupMaxMessages() + " messages). Latency: signed"
        + " webhook sent → reply at the Graph API stub. CPU: the node's"
        + " process (/proc utime + stime) from the first message to the moment its CPU went quiet after the last"
        + " reply. On PostgreSQL the database's own CPU is not the node's and is not counted.";
  }

  private void pass(String database) throws Exception {
    report.database(database);
    Path directory = Files.createTempDirectory("layercake-bench-" + database);
    EmbeddedPostgres postgres = database.equals("postgres")
        ? EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()
        : null;
    try (StubProviders stubs = StubProviders.start()) {
      Map<String, String> environment = environment(directory, stubs);
      if (postgres != null) {
        environment.put("LAYERCAKE_DB_URL", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        environment.put("LAYERCAKE_DB_USER", "postgres");
        environment.put("LAYERCAKE_DB_PASSWORD", "postgres");
      }
      log(database + ": starting the node, log in " + directory.resolve("node.log"));
      try (NodeProcess node = NodeProcess.start(options.nodeJar(), directory, environment, options.nodeJavaOptions(),
          pinned ? NODE_CPU : "")) {
        DatabaseSettings db = postgres != null
            ? DatabaseSettings.postgres(environment.get("LAYERCAKE_DB_URL"), "postgres", "postgres", 1)
            : nodesH2(directory.resolve("data"));
        try (MessageCosts costs = new MessageCosts(db)) {
          new DatabasePass(options, report, database, node, stubs, costs).measure(APP_SECRET);
        }
      }
      deleteRecursively(directory);
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  /**
   * Tenant bulkheads on a node of its own (H2) whose model pool is small, so tenants compete for it
   * and not for the CPU: its rows go in the first database's column when that is H2, else in their own.
   */
  private void bulkheads() throws Exception {
    String column = options.databases().contains("h2") ? "h2" : "h2 (bulkheads)";
    if (!options.databases().contains("h2")) {
      report.database(column);
    }
    Path directory = Files.createTempDirectory("layercake-bench-bulkheads");
    try (StubProviders stubs = StubProviders.start()) {
      Map<String, String> environment = environment(directory, stubs);
      environment.put("LAYERCAKE_LLM_MAX_CONCURRENT_CALLS", Integer.toString(BulkheadPass.POOL));
      log("bulkheads: starting a node with a " + BulkheadPass.POOL + "-call model pool, log in " + directory.resolve("node.log"));
      try (NodeProcess node = NodeProcess.start(options.nodeJar(), directory, environment, options.nodeJavaOptions(),
          pinned ? NODE_CPU : "")) {
        new BulkheadPass(options, report, column, node, stubs).measure(APP_SECRET);
      }
      deleteRecursively(directory);
    }
  }

  /** The node's H2 file through the loopback TCP server the node runs for it (the file itself is locked). */
  private static DatabaseSettings nodesH2(Path dataDir) {
    DatabaseSettings served = H2FileServer.reachable(DatabaseSettings.h2File(dataDir, 1));
    if (served.url().startsWith("jdbc:h2:file:")) {
      throw new IllegalStateException("the node serves no TCP port for its H2 file in " + dataDir
          + ": the benchmark cannot count its events");
    }
    return served;
  }

  private Map<String, String> environment(Path directory, StubProviders stubs) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("LAYERCAKE_DATA_DIR", directory.resolve("data").toString());
    environment.put("LAYERCAKE_CLUSTER_HOST", "127.0.0.1");
    environment.put("LAYERCAKE_CLUSTER_PORT", "0");
    environment.put("LAYERCAKE_CLUSTER_MANAGEMENT_PORT", "0");
    environment.put("LAYERCAKE_ADMIN_TOKEN", NodeAdmin.TOKEN);
    environment.put("LAYERCAKE_DEMO_ENABLED", "false");
    environment.put("LAYERCAKE_LLM_OPENAI_BASE_URL", stubs.baseUrl() + "/v1");
    environment.put("LAYERCAKE_LLM_OPENAI_API_KEY", "sk-bench");
    environment.put("LAYERCAKE_CHANNELS_WHATSAPP_GRAPH_BASE_URL", stubs.baseUrl());
    environment.put("LAYERCAKE_CHANNELS_WHATSAPP_APP_SECRET", APP_SECRET.reveal());
    // one visitor's messages in a row are the webchat probe, not abuse (10,000 is the most the settings allow)
    environment.put("LAYERCAKE_CHANNELS_WEBCHAT_FREE_MESSAGES_PER_MINUTE", "10000");
    environment.put("LAYERCAKE_CHANNELS_WEBCHAT_PAID_MESSAGES_PER_MINUTE", "10000");
    // every conversation opened stays live for the whole run: heap per live conversation counts them all
    environment.put("LAYERCAKE_ENTITIES_PASSIVATION_IDLE_TIMEOUT", "30m");
    if (!options.llmThreads().isEmpty()) {
      environment.put("LAYERCAKE_LLM_MAX_CONCURRENT_CALLS", options.llmThreads());
    }
    return environment;
  }

  /** The node's data and log, once its pass succeeded; a failed pass leaves them for a look. */
  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  static void log(String line) {
    log.info(line);
  }
}
