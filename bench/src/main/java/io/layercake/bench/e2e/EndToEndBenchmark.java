package io.layercake.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.DatabaseDialect;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.config.SettingsLoader;
import io.layercake.http.LayercakeNode;
import io.layercake.persistence.jdbc.H2FileServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end benchmark: a node on H2, then on an embedded PostgreSQL, between a stub model and
 * a stub WhatsApp Graph API on 127.0.0.1, driven by signed webhooks. It measures throughput and
 * latency with a 0 ms and a 500 ms model, the turn's own overhead at half of peak, the limits of
 * this machine in the same run (batched JDBC inserts, a bare Pekko HTTP endpoint), heap per live
 * conversation and recovery of a long conversation, and checks every message was answered once and
 * the ledger audit is clean. The report goes to the log and {@code target/bench/report.md}.
 */
public final class EndToEndBenchmark {
  static final String ADMIN_TOKEN = "bench-operator-token-0123456789";
  static final Secret APP_SECRET = Secret.of("bench-meta-app-secret");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EndToEndBenchmark.class);

  private final Options options;
  private final Report report = new Report();
  private final HttpClient admin = HttpClient.newHttpClient();

  private EndToEndBenchmark(Options options) {
    this.options = options;
  }

  /** Sizes of the run; the defaults finish in under 10 minutes on 2 cores. */
  record Options(int orgs, int warmupContacts, int contacts, int messages, int runs, List<Integer> latenciesMillis, List<String> databases, int heapConversations,
      int recoveryMessages, String llmThreads, Path output) {
    static Options parse(String[] args) {
      Map<String, String> given = new HashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        given.put(args[i].replaceFirst("^--", ""), args[i + 1]);
      }
      return new Options(
          Integer.parseInt(given.getOrDefault("orgs", "10")),
          Integer.parseInt(given.getOrDefault("warmup-contacts", "250")),
          Integer.parseInt(given.getOrDefault("contacts", "250")),
          Integer.parseInt(given.getOrDefault("messages", "4")),
          Integer.parseInt(given.getOrDefault("runs", "3")),
          Arrays.stream(given.getOrDefault("latencies", "0,500").split(",")).map(Integer::parseInt).toList(),
          Arrays.asList(given.getOrDefault("databases", "h2,postgres").split(",")),
          Integer.parseInt(given.getOrDefault("heap-conversations", "2000")),
          Integer.parseInt(given.getOrDefault("recovery-messages", "10000")),
          given.getOrDefault("llm-threads", ""),
          Path.of(given.getOrDefault("output", "target/bench/report.md")));
    }
  }

  public static void main(String[] args) throws Exception {
    H2FileServer.keepOnLoopback();
    Options options = Options.parse(args);
    long started = System.nanoTime();
    EndToEndBenchmark benchmark = new EndToEndBenchmark(options);
    for (String database : options.databases()) {
      benchmark.pass(database);
    }
    String markdown = benchmark.report.markdown(options, Duration.ofNanos(System.nanoTime() - started));
    Files.createDirectories(options.output().toAbsolutePath().getParent());
    Files.writeString(options.output(), markdown);
    log.info("Report written to {}:\n{}", options.output().toAbsolutePath(), markdown);
  }

  private void pass(String database) throws Exception {
    Path directory = Files.createTempDirectory("layercake-bench-" + database);
    EmbeddedPostgres postgres = database.equals("postgres") ? EmbeddedPostgres.builder().start() : null;
    try (StubProviders stubs = StubProviders.start()) {
      DatabaseSettings db = postgres == null
          ? DatabaseSettings.h2File(directory, 8)
          : DatabaseSettings.postgres(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", 8);
      LayercakeNode node = LayercakeNode.start(settings(directory, db, stubs, 100));
      String base = "http://127.0.0.1:" + node.address().getPort();
      setUp(base);
      try (WhatsAppLoad load = new WhatsAppLoad(base, APP_SECRET, phoneNumberIds(), stubs)) {
        log(database + ": warming up");
        stubs.modelLatency(Duration.ZERO);
        WhatsAppLoad.Result warmup = load.closedLoop("9", options.warmupContacts(), 10);
        log(String.format("%s: warm-up %.0f messages/s, %d lost, %d refused; stub saw %d replies, %d without a token", database,
            warmup.perSecond(), warmup.lost(), warmup.refused(), stubs.replies(), stubs.unexpectedReplies()));
        report.warmup(database, warmup, stubs.unexpectedReplies());
        stubs.resetCounts();
        double peak = 0;
        int run = 1;
        for (int latency : options.latenciesMillis()) {
          stubs.modelLatency(Duration.ofMillis(latency));
          List<WhatsAppLoad.Result> results = new ArrayList<>();
          MessageCosts.startCounting(db);
          MessageCosts.Counters before = MessageCosts.read(db);
          for (int i = 0; i < options.runs(); i++) {
            WhatsAppLoad.Result result = load.closedLoop(Integer.toString(run++), options.contacts(), options.messages());
            log(String.format("%s, model %d ms, run %d: %.0f messages/s, p50 %.1f ms, p99 %.1f ms, lost %d, refused %d", database, latency,
                i + 1, result.perSecond(), Stats.percentile(result.latenciesMicros(), 50) / 1000,
                Stats.percentile(result.latenciesMicros(), 99) / 1000, result.lost(), result.refused()));
            results.add(result);
            log(breakdown(node));
          }
          report.throughput(database, latency, results);
          MessageCosts.PerMessage costs = MessageCosts.PerMessage.between(before, MessageCosts.read(db),
              results.stream().mapToLong(WhatsAppLoad.Result::messages).sum());
          log(String.format("%s, model %d ms: %.2f ms CPU, %.2f journal events, %.1f statements per message", database, latency,
              costs.cpuMillis(), costs.events(), costs.statements()));
          report.costs(database, latency, costs);
          if (latency == 0) {
            peak = Stats.Spread.of(results.stream().map(WhatsAppLoad.Result::perSecond).toList()).median();
          }
        }
        if (peak > 0) {
          stubs.modelLatency(Duration.ZERO);
          int half = Math.max(1, (int) (peak / 2));
          node.meterRegistry().clear();
          WhatsAppLoad.Result halfLoad = load.openLoop(Integer.toString(run++), options.contacts(), half, Duration.ofSeconds(15));
          report.halfLoad(database, half, halfLoad, TurnOverhead.read(node.meterRegistry()));
          log(database + ": half load " + half + "/s done");
        }
        report.limits(database, Limits.jdbcInsertsPerSecond(db, Duration.ofSeconds(5)),
            Limits.bareHttpPerSecond(stubs.baseUrl() + "/hello", 64, Duration.ofSeconds(5)));
        report.correctness(database, stubs.duplicateReplies(), stubs.unexpectedReplies(), audit(base));
        if (database.equals("h2")) {
          report.heap(heapPerConversation(load, node));
        }
      }
      node.stop().toCompletableFuture().join();
      if (database.equals("h2")) {
        report.recovery(new RecoveryProbe(this, directory, db, stubs).measure(options.recoveryMessages()));
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  LayercakeSettings settings(Path directory, DatabaseSettings db, StubProviders stubs, int snapshotEvery) {
    Map<String, String> environment = new HashMap<>();
    environment.put("LAYERCAKE_DATA_DIR", directory.toString());
    environment.put("LAYERCAKE_HTTP_PORT", "0");
    environment.put("LAYERCAKE_CLUSTER_PORT", "0");
    environment.put("LAYERCAKE_CLUSTER_MANAGEMENT_PORT", "0");
    environment.put("LAYERCAKE_ADMIN_TOKEN", ADMIN_TOKEN);
    environment.put("LAYERCAKE_DEMO_ENABLED", "false");
    environment.put("LAYERCAKE_LLM_OPENAI_BASE_URL", stubs.baseUrl() + "/v1");
    environment.put("LAYERCAKE_LLM_OPENAI_API_KEY", "sk-bench");
    environment.put("LAYERCAKE_CHANNELS_WHATSAPP_GRAPH_BASE_URL", stubs.baseUrl());
    environment.put("LAYERCAKE_CHANNELS_WHATSAPP_APP_SECRET", APP_SECRET.reveal());
    environment.put("LAYERCAKE_ENTITIES_PASSIVATION_IDLE_TIMEOUT", "30m");
    environment.put("LAYERCAKE_ENTITIES_SNAPSHOT_EVERY", Integer.toString(snapshotEvery));
    if (!options.llmThreads().isEmpty()) {
      environment.put("LAYERCAKE_LLM_MAX_CONCURRENT_CALLS", options.llmThreads());
    }
    return SettingsLoader.load(environment).withDatabase(db);
  }

  /** Organizations with credits for every message, each with an agent on the stub model bound to its own WhatsApp number. */
  void setUp(String base) throws Exception {
    for (int i = 0; i < options.orgs(); i++) {
      String org = "bench-" + i;
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
  }

  static String agentId(int org) {
    return "bench-agent-" + org;
  }

  static String phoneNumberId(int org) {
    return "10987654321" + org;
  }

  List<String> phoneNumberIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < options.orgs(); i++) {
      ids.add(phoneNumberId(i));
    }
    return ids;
  }

  private double heapPerConversation(WhatsAppLoad load, LayercakeNode node) {
    log("h2: heap per conversation, " + options.heapConversations() + " conversations");
    long before = usedHeapAfterGc();
    WhatsAppLoad.Result started = load.conversations("77", options.heapConversations(), options.contacts());
    long after = usedHeapAfterGc();
    log("h2: heap " + before / 1_048_576 + " MB -> " + after / 1_048_576 + " MB for " + started.answered() + " conversations");
    return (after - before) / (double) started.answered();
  }

  /** Where a turn's time went, from the node's own timers (means since the start). */
  private static String breakdown(LayercakeNode node) {
    StringBuilder line = new StringBuilder("  node means:");
    for (String name : List.of("layercake.turn.latency", "layercake.turn.latency.without.model", "layercake.model.latency")) {
      var timer = node.meterRegistry().find(name).timer();
      if (timer != null) {
        line.append(String.format(" %s %.1f ms (max %.1f);", name, timer.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
            timer.max(java.util.concurrent.TimeUnit.MILLISECONDS)));
      }
    }
    return line.toString();
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private boolean audit(String base) throws Exception {
    HttpResponse<String> response = admin.send(request(base, "/admin/audit/ledger").GET().build(), HttpResponse.BodyHandlers.ofString());
    JsonNode report = JSON.readTree(response.body());
    return report.path("clean").asBoolean(false);
  }

  HttpResponse<String> post(String base, String path, String body) throws Exception {
    return send(base, "POST", path, body);
  }

  HttpResponse<String> send(String base, String method, String path, String body) throws Exception {
    return admin.send(request(base, path).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN_TOKEN);
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
