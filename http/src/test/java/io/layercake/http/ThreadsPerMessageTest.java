package io.layercake.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.config.SettingsLoader;
import io.layercake.http.cluster.ClusterStubs;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.StubProvider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node at steady state starts no thread per message: signed WhatsApp webhooks in, an
 * OpenAI-compatible stub model, replies at a Graph API stub, all on 127.0.0.1. On a 2-core machine
 * the common pool has one thread, and every {@code CompletableFuture} stage without an executor
 * (including the ones Pekko's Java API and the JDK HttpClient add) starts a new thread; the surefire
 * configuration pins the common pool to that size so the test means the same on any machine.
 */
class ThreadsPerMessageTest {
  private static final Logger log = LoggerFactory.getLogger(ThreadsPerMessageTest.class);
  private static final String TOKEN = "operator-token-for-tests";
  private static final String APP_SECRET = "meta-app-secret";
  private static final String GRAPH_TOKEN = "EAAG-thread-test";
  private static final String NUMBER_ID = "106540352242933";
  private static final int CONVERSATIONS = 10;
  private static final int WARM_UP = 60;
  private static final int MESSAGES = 200;
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);
  /** The node's blocking pools: Pekko's defaults would end their idle threads and shut an idle pool down after 1 s. */
  private static final List<String> BLOCKING_POOLS = List.of("layercake-llm-dispatcher", "layercake-provider-dispatcher",
      "layercake-jdbc-dispatcher", "pekko.projection.jdbc.blocking-jdbc-dispatcher");

  private static ClusterStubs model;
  private static StubProvider graph;
  private static LayercakeNode node;
  private static HttpTestClient meta;
  private static final Semaphore REPLIES = new Semaphore(0);
  private static final AtomicInteger SENT = new AtomicInteger();

  @BeforeAll
  static void start(@TempDir Path dir) {
    model = new ClusterStubs(GRAPH_TOKEN);
    graph = StubProvider.start(request -> {
      REPLIES.release();
      return StubProvider.Response.json(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\","
          + "\"wa_id\":\"x\"}],\"messages\":[{\"id\":\"wamid.OUT" + SENT.incrementAndGet() + "\"}]}");
    });
    Map<String, String> environment = new HashMap<>(model.providerEnvironment(APP_SECRET));
    environment.putAll(Map.of(
        "LAYERCAKE_DATA_DIR", dir.toString(),
        "LAYERCAKE_HTTP_PORT", "0",
        "LAYERCAKE_CLUSTER_PORT", "0",
        "LAYERCAKE_CLUSTER_MANAGEMENT_PORT", "0",
        "LAYERCAKE_DEMO_ENABLED", "false",
        "LAYERCAKE_CHANNELS_WHATSAPP_GRAPH_BASE_URL", graph.baseUrl(),
        // the model pool fills once up to this size; the warm-up fills it
        "LAYERCAKE_LLM_MAX_CONCURRENT_CALLS", "8"));
    LayercakeSettings settings = SettingsLoader.load(environment)
        .withDatabase(DatabaseSettings.h2File(dir, 4))
        .withAdmin(new AdminSettings(Secret.of(TOKEN)));
    node = LayercakeNode.start(settings);
    meta = HttpTestClient.to(node.address());
    HttpTestClient operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    assertThat(operator.post("/admin/organizations", "{\"id\":\"busy\",\"name\":\"Busy\",\"tier\":\"pro\"}").status())
        .isEqualTo(201);
    assertThat(operator.post("/admin/organizations/busy/purchases", "{\"idempotencyKey\":\"cs_busy\",\"credits\":1000}")
        .status()).isEqualTo(200);
    assertThat(operator.post("/admin/agents", """
        {"agentId": "busy-bot", "orgId": "busy", "name": "Busy assistant", "doubleTexting": "queue",
         "model": {"provider": "openai", "model": "gpt-4o-mini"}}
        """).status()).isEqualTo(201);
    assertThat(operator.post("/admin/agents/busy-bot/channels", "{\"channel\":\"whatsapp\",\"address\":\"" + NUMBER_ID + "\"}")
        .status()).isEqualTo(201);
    assertThat(operator.send("PUT", "/admin/organizations/busy/channels/whatsapp", "{\"accessToken\":\"" + GRAPH_TOKEN + "\"}")
        .status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    graph.close();
    model.close();
  }

  @Test
  void aBurstOfMessagesStartsNoThreadPerMessage(@TempDir Path dir) throws Exception {
    assertThat(ForkJoinPool.getCommonPoolParallelism()).as("the 2-core condition the test is about").isEqualTo(1);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    converse(0, WARM_UP);

    try (Recording recording = new Recording()) {
      recording.enable("jdk.ThreadStart").withStackTrace();
      recording.start();
      long before = threads.getTotalStartedThreadCount();
      converse(WARM_UP, MESSAGES);
      long started = threads.getTotalStartedThreadCount() - before;
      recording.stop();
      Path dump = dir.resolve("threads.jfr");
      recording.dump(dump);
      log.info("{} threads started during {} messages", started, MESSAGES);

      assertThat(started).as("threads started during %d messages (%.2f per message), started by:%n%s",
              MESSAGES, started / (double) MESSAGES, whoStarted(dump))
          .isLessThan(MESSAGES / 20);
    }
  }

  /**
   * A quiet node (between two customers) keeps its pools' threads: an idle pool that shut down, or
   * threads that timed out, would be started again by the next messages. Read from the running node's
   * configuration, so no test has to wait for the node to be idle.
   */
  @Test
  void theBlockingPoolsKeepTheirThreadsWhenIdle() {
    com.typesafe.config.Config config = node.system().settings().config();
    for (String pool : BLOCKING_POOLS) {
      assertThat(config.getBoolean(pool + ".thread-pool-executor.allow-core-timeout")).as(pool + " threads time out").isFalse();
      assertThat(config.getDuration(pool + ".shutdown-timeout")).as(pool + " shuts down when idle")
          .isGreaterThanOrEqualTo(Duration.ofHours(1));
    }
  }

  /** Messages {@code first .. first + count - 1}, one at a time, each answered before the next is sent. */
  private static void converse(int first, int count) throws InterruptedException {
    for (int i = first; i < first + count; i++) {
      byte[] body = ClusterStubs.textNotification(NUMBER_ID, "3161000000" + (i % CONVERSATIONS), "wamid.T-" + i,
          "hello tok-" + i);
      HttpTestClient.Response accepted = meta.post("/webhooks/whatsapp", body, ClusterStubs.signed(APP_SECRET, body));
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
      assertThat(REPLIES.tryAcquire(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("reply to message " + i).isTrue();
    }
  }

  /** The frames below the JDK's thread-starting code that started each thread, most frequent first. */
  private static String whoStarted(Path dump) throws IOException {
    List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
    Map<String, Long> byCaller = events.stream().collect(Collectors.groupingBy(ThreadsPerMessageTest::caller,
        Collectors.counting()));
    return byCaller.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(10).map(entry -> entry.getValue() + " x " + entry.getKey()).collect(Collectors.joining("\n"));
  }

  private static String caller(RecordedEvent event) {
    String name = event.getThread("thread") == null ? "?" : event.getThread("thread").getJavaName();
    String started = "[" + (name == null ? "?" : name.replaceAll("\\d+", "N")) + "] ";
    if (event.getStackTrace() == null) {
      return started + "(no stack)";
    }
    return started + event.getStackTrace().getFrames().stream().map(ThreadsPerMessageTest::frame)
        .filter(frame -> !frame.startsWith("java.lang.Thread.") && !frame.startsWith("java.util.concurrent.ThreadPoolExecutor"))
        .limit(8).collect(Collectors.joining(" <- "));
  }

  private static String frame(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName() + ":" + frame.getLineNumber();
  }
}
