package io.layercake.http.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.DatabaseSettings;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.persistence.testing.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three nodes of the runnable jar on 127.0.0.1 and one embedded PostgreSQL, in the order an
 * operator lives through it: the nodes bootstrap one cluster (config discovery), conversations
 * spread over them, the oldest node (the singletons' and the shard coordinator's host) is killed
 * with SIGKILL while turns are in flight, it rejoins through static seed nodes, the new oldest node
 * is stopped with SIGTERM while turns and sends are in flight; follow-ups, webhook deliveries and
 * credits come out exactly once.
 *
 * <p>The stub model holds every call while a node is stopped, so each turn in flight is inside its
 * model call then: a reply is sent once the model answers, which is after the stop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final Logger log = LoggerFactory.getLogger(ClusterIT.class);
  private static final String ADMIN_TOKEN = "operator-token-for-cluster-tests";
  private static final String APP_SECRET = "meta-app-secret-of-the-cluster";
  private static final String GRAPH_TOKEN = "EAAG-acme-token";
  private static final String NUMBER_ID = "106540352242922";
  private static final long PURCHASED = 1_000;
  /** Low, so the test reaches it: a limiter per node would let the visitor send this many to each node. */
  private static final int WEBCHAT_PER_MINUTE = 4;
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(250);

  /** The nodes' logs stay here after the run (target/cluster-it), to read when a phase fails. */
  private final Path workDir = Path.of("target", "cluster-it");

  private EmbeddedPostgresServer postgres;
  private DatabaseSettings database;
  private ClusterStubs stubs;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<String> answeredTokens = new ArrayList<>();
  private final List<String> followupTokens = new ArrayList<>();
  private int contacts;
  private int webchatAnswers;
  private String apiKey;
  private String webhookSubscriptionId;

  @BeforeAll
  void startThreeNodes() throws Exception {
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    postgres = EmbeddedPostgresServer.start();
    database = postgres.freshDatabase();
    stubs = new ClusterStubs(GRAPH_TOKEN);
    for (int i = 1; i <= 3; i++) {
      nodes.add(new ClusterNode("node" + i, workDir, ADMIN_TOKEN, this::baseEnvironment));
    }
    String contactPoints = nodes.stream().map(node -> "127.0.0.1:" + node.managementPort).collect(Collectors.joining(","));
    long started = System.nanoTime();
    for (ClusterNode node : nodes) {
      node.start(Map.of(
          "LAYERCAKE_CLUSTER_DISCOVERY", "config",
          "LAYERCAKE_CLUSTER_CONTACT_POINTS", contactPoints,
          "LAYERCAKE_CLUSTER_REQUIRED_CONTACT_POINTS", "3",
          "LAYERCAKE_DEMO_ENABLED", "true"));
    }
    for (ClusterNode node : nodes) {
      node.process.awaitReady(READY_WITHIN);
    }
    log.info("three nodes started side by side and bootstrapped one cluster in {} ms", elapsedMillis(started));
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (ClusterNode node : nodes) {
      if (node.process != null && node.process.isAlive()) {
        node.process.terminate(Duration.ofSeconds(30));
      }
    }
    if (stubs != null) {
      stubs.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @Order(1)
  void theNodesBootstrapOneClusterAndOneOfThemSeedsTheDemo() throws Exception {
    for (ClusterNode node : nodes) {
      awaitMembers(node, 3);
      assertThat(node.management().get("/ready").status()).as(node + " ready on the management port").isEqualTo(200);
      assertThat(node.management().get("/alive").status()).isEqualTo(200);
      assertThat(node.management().send("DELETE", "/cluster/members/" + node.address(), "").status())
          .as("membership is read-only over HTTP").isIn(404, 405);
    }
    eventually(() -> nodes.stream().allMatch(node -> output(node).contains("Layercake started in")), "all three nodes started");
    // a node prints the demo banner just after its start-up line
    eventually(() -> nodes.stream().anyMatch(node -> output(node).contains("API key for scripts (shown only now)")), "the demo banner");
    List<ClusterNode> seeders = nodes.stream().filter(node -> output(node).contains("API key for scripts (shown only now)")).toList();
    assertThat(seeders).as("exactly one node seeds the demo and shows its key").hasSize(1);
    JsonNode documents = nodes.get(0).operator().get("/admin/organizations/demo/documents").json().path("documents");
    assertThat(documents).as("one demo knowledge document, not one per node").hasSize(1);
  }

  @Test
  @Order(2)
  void anyNodeAnswersWebhooksAndApiCallsAndConversationsSpreadOverTheNodes() throws Exception {
    ClusterNode first = nodes.get(0);
    ClusterNode second = nodes.get(1);
    ClusterNode third = nodes.get(2);
    assertThat(first.operator().post("/admin/organizations", "{\"id\":\"acme\",\"name\":\"Acme Plumbing\",\"tier\":\"pro\"}").status())
        .isEqualTo(201);
    assertThat(second.operator().post("/admin/organizations/acme/purchases",
        "{\"idempotencyKey\":\"cs_acme_1\",\"credits\":" + PURCHASED + "}").status()).isEqualTo(200);
    assertThat(third.operator().post("/admin/agents", """
        {"agentId": "acme-bot", "orgId": "acme", "name": "Acme assistant", "doubleTexting": "queue",
         "tools": ["schedule_followup"], "model": {"provider": "openai", "model": "gpt-4o-mini"}}
        """).status()).isEqualTo(201);
    assertThat(first.operator().post("/admin/agents/acme-bot/channels", "{\"channel\":\"whatsapp\",\"address\":\"" + NUMBER_ID + "\"}")
        .status()).isEqualTo(201);
    assertThat(second.operator().send("PUT", "/admin/organizations/acme/channels/whatsapp", "{\"accessToken\":\"" + GRAPH_TOKEN + "\"}")
        .status()).isEqualTo(200);
    apiKey = createApiKey(third);
    HttpTestClient.Response subscription = first.api().withBearer(apiKey).post("/api/v1/webhooks",
        "{\"url\":\"" + stubs.baseUrl() + "/hooks\",\"eventTypes\":[\"conversation.started\",\"message.received\"]}");
    assertThat(subscription.status()).as(subscription.body()).isEqualTo(201);
    stubs.webhookSecret(subscription.json().path("secret").asText());
    webhookSubscriptionId = subscription.json().path("subscriptionId").asText();

    List<String> tokens = sendToEveryNode("spread", 24, "hello");
    List<String> followups = sendToEveryNode("follow", 6, "please follow up");

    awaitAnsweredOnce(tokens, "re: ");
    awaitAnsweredOnce(followups, "noted ");
    answeredTokens.addAll(tokens);
    followupTokens.addAll(followups);
    JsonNode sessions = first.operator().get("/admin/cluster").json().path("sharding").path("Session");
    assertThat(sessions.size()).as("conversations live on every node: " + sessions).isEqualTo(3);
    sessions.forEach(region -> assertThat(region.path("entities").asInt()).isPositive());
  }

  @Test
  @Order(3)
  void aWebchatVisitorIsAnsweredOnEveryNodeAndRateLimitedOnceForTheWholeCluster() {
    String token = null;
    for (int i = 0; i < WEBCHAT_PER_MINUTE; i++) {
      ClusterNode node = nodes.get(i % nodes.size());
      String text = "hello tok-web-" + i;
      JsonNode answer = node.api().post("/api/v1/webchat/message", webchatMessage(token, text)).json();
      assertThat(answer.path("status").asText()).as(node + ": " + answer).isEqualTo("answered");
      assertThat(answer.path("replies").path(0).path("text").asText())
          .as("the reply reaches the node holding the visitor's request, wherever the conversation lives")
          .isEqualTo("re: tok-web-" + i);
      token = answer.path("sessionToken").asText();
      webchatAnswers++;
    }

    HttpTestClient.Response limited = nodes.get(WEBCHAT_PER_MINUTE % nodes.size()).api()
        .post("/api/v1/webchat/message", webchatMessage(token, "one more tok-web-limited"));

    assertThat(limited.status()).as("the visitor's " + (WEBCHAT_PER_MINUTE + 1) + "th message in a minute, over " + nodes.size()
        + " nodes").isEqualTo(429);
    assertThat(limited.errorCode()).isEqualTo("rate_limited");
  }

  private static String webchatMessage(String sessionToken, String text) {
    return "{\"agentId\":\"acme-bot\",\"text\":\"" + text + "\""
        + (sessionToken == null ? "" : ",\"sessionToken\":\"" + sessionToken + "\"") + "}";
  }

  @Test
  @Order(4)
  void theOldestNodeKilledMidTurnLosesNothingAndEveryAcceptedMessageIsAnsweredOnce() throws Exception {
    ClusterNode victim = oldest();
    List<ClusterNode> survivors = nodes.stream().filter(node -> node != victim).toList();

    stubs.model.hold(24);
    List<String> inFlight = sendToEveryNode("kill", 24, "hello");
    stubs.model.awaitHeld(Duration.ofSeconds(60));
    // the deliverer lives on the victim: a delivery posted but not yet recorded at the kill would go out again
    awaitEveryWebhookDelivered(survivors.get(0), inFlight);
    long killedAt = System.nanoTime();
    victim.process.kill();
    stubs.model.release();
    List<String> duringOutage = sendUntilAccepted(survivors, "outage", 6);

    awaitAnsweredOnce(inFlight, "re: ");
    log.info("SIGKILL of the oldest node {} (singletons, shard coordinator): its conversations answered on the others {} ms later",
        victim, elapsedMillis(killedAt));
    awaitAnsweredOnce(duringOutage, "re: ");
    for (ClusterNode survivor : survivors) {
      awaitMembers(survivor, 2);
    }
    log.info("{} downed and removed by the split-brain resolver within {} ms of the kill", victim, elapsedMillis(killedAt));
    answeredTokens.addAll(inFlight);
    answeredTokens.addAll(duringOutage);
  }

  @Test
  @Order(5)
  void theKilledNodeRejoinsThroughStaticSeedNodes() throws Exception {
    ClusterNode restarted = nodes.stream().filter(node -> !node.process.isAlive()).findFirst().orElseThrow();
    String seeds = nodes.stream().filter(node -> node != restarted).map(ClusterNode::address).collect(Collectors.joining(","));

    long started = System.nanoTime();
    restarted.start(Map.of("LAYERCAKE_CLUSTER_SEED_NODES", seeds, "LAYERCAKE_DEMO_ENABLED", "true"));
    restarted.process.awaitReady(READY_WITHIN);

    for (ClusterNode node : nodes) {
      awaitMembers(node, 3);
    }
    log.info("{} rejoined through its seed nodes in {} ms", restarted, elapsedMillis(started));
    // the banner would follow the start-up line at once, from the same thread
    eventually(() -> output(restarted).contains("Layercake started in"), restarted + " started");
    assertThat(output(restarted)).as("the demo is seeded once, not again on a rejoin").doesNotContain("API key for scripts");
  }

  @Test
  @Order(6)
  void theOldestNodeStoppedWithSigtermFinishesItsSendsAndHandsItsConversationsAndSingletonsOver() throws Exception {
    ClusterNode oldest = oldest();
    stubs.graph.hold(24);
    List<String> sending = sendToEveryNode("send", 24, "hello");
    stubs.graph.awaitHeld(Duration.ofSeconds(60));
    stubs.model.hold(12);
    List<String> thinking = sendToEveryNode("think", 12, "hello");
    stubs.model.awaitHeld(Duration.ofSeconds(60));

    long stopping = System.nanoTime();
    oldest.process.sigterm();
    eventually(() -> output(oldest).contains("Stopping once message"), "a conversation handed over while its reply is being sent");
    stubs.graph.release();
    assertThat(oldest.process.awaitExit(Duration.ofSeconds(60))).isIn(0, 143);
    log.info("SIGTERM of the oldest node {}: sends finished, shards handed over, cluster left and exited in {} ms", oldest,
        elapsedMillis(stopping));
    stubs.model.release();

    assertThat(output(oldest)).contains("Layercake stopped: requests drained, cluster left");
    long answeringStarted = System.nanoTime();
    awaitAnsweredOnce(sending, "re: ");
    awaitAnsweredOnce(thinking, "re: ");
    log.info("its conversations in the model answered on the others {} ms after it exited", elapsedMillis(answeringStarted));
    answeredTokens.addAll(sending);
    answeredTokens.addAll(thinking);
    for (ClusterNode node : nodes) {
      if (node != oldest) {
        awaitMembers(node, 2);
      }
    }
  }

  @Test
  @Order(7)
  void followupsAndWebhookDeliveriesFireExactlyOnceAcrossTheCluster() throws Exception {
    ClusterNode any = running().get(0);
    for (String token : followupTokens) {
      eventually(() -> stubs.repliesWithText("follow-up " + token) >= 1, "the follow-up of " + token);
    }

    // The stopped node's projection instances restart elsewhere: wait until the feed has every message.
    List<String> everyToken = new ArrayList<>(answeredTokens);
    everyToken.addAll(followupTokens);
    awaitEveryWebhookDelivered(any, everyToken);
    List<Long> events = feedEvents(any.api().withBearer(apiKey)).stream().map(event -> event.path("id").asLong()).toList();
    assertThat(events).as("conversation.started and message.received of every conversation").hasSizeGreaterThan(everyToken.size());

    for (String token : followupTokens) {
      assertThat(stubs.repliesWithText("follow-up " + token)).as("follow-up of " + token).isEqualTo(1);
    }
    assertThat(stubs.webhookDeliveries()).as("each event delivered once").allSatisfy((eventId, count) -> assertThat(count).isEqualTo(1));
    assertThat(stubs.webhookDeliveries().keySet()).containsExactlyInAnyOrderElementsOf(events);
    assertThat(stubs.badWebhookSignatures()).isZero();
    assertThat(stubs.badGraphTokens()).isZero();
  }

  @Test
  @Order(8)
  void theLedgerIsExactAfterTheKillAndTheHandOver() throws Exception {
    HttpTestClient operator = running().get(0).operator();
    // Leases held by the killed and the stopped node's conversations come back once those wake on a survivor.
    eventually(() -> operator.get("/admin/organizations/acme/balance").json().path("openReservations").asInt() == 0,
        () -> "every lease back: " + operator.get("/admin/organizations/acme/balance").body());

    // the ledger is checked at once; each conversation's recorded charges once the read model caught up with them
    JsonNode audit = operator.get("/admin/audit/ledger").json();
    assertThat(audit.path("violations").size()).as(audit.toString()).isZero();
    eventually(() -> operator.get("/admin/audit/ledger").json().path("clean").asBoolean(),
        () -> "every conversation recorded what the ledger charged it: " + operator.get("/admin/audit/ledger").body());
    assertThat(operator.get("/admin/audit/ledger").json().path("conversationsCompared").asInt())
        .as("one conversation per WhatsApp contact at least").isGreaterThanOrEqualTo(answeredTokens.size());
    JsonNode balance = operator.get("/admin/organizations/acme/balance").json();

    assertThat(balance.path("reserved").asLong()).as("no hold left behind").isZero();
    assertThat(balance.path("openReservations").asInt()).isZero();
    long expectedSpend = answeredTokens.size() + webchatAnswers + 2L * followupTokens.size();
    assertThat(balance.path("available").asLong())
        .as("one credit per answer (WhatsApp and webchat), and the follow-up tool once per scheduling turn: " + balance)
        .isEqualTo(PURCHASED - expectedSpend);
    assertThat(stubs.replies()).as("every reply sent once: " + answeredTokens.size() + " answers, "
        + followupTokens.size() + " scheduling answers and their follow-ups")
        .hasSize(answeredTokens.size() + 2 * followupTokens.size());
  }

  private static String createApiKey(ClusterNode node) {
    HttpTestClient.Response created = node.operator().post("/admin/organizations/acme/api-keys",
        "{\"name\":\"dashboard\",\"scopes\":[\"conversations:read\",\"webhooks:write\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().path("key").asText();
  }

  // ---- sending ----

  /** One new contact per message, spread round-robin over the running nodes; each must be accepted. */
  private List<String> sendToEveryNode(String phase, int messages, String text) {
    List<ClusterNode> running = running();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      String token = "tok-" + phase + "-" + i;
      ClusterNode node = running.get(i % running.size());
      HttpTestClient.Response accepted = signedWebhook(node, nextContact(), token, text + " " + token);
      assertThat(accepted.status()).as(node + " accepts " + token + ": " + accepted.body()).isEqualTo(200);
      tokens.add(token);
    }
    return tokens;
  }

  /**
   * While a node is unreachable and not yet downed, a message for a conversation whose shard was
   * on it cannot be stored: the webhook gets a 5xx and Meta sends it again, as this loop does.
   */
  private List<String> sendUntilAccepted(List<ClusterNode> survivors, String phase, int messages) throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      String token = "tok-" + phase + "-" + i;
      String contact = nextContact();
      ClusterNode node = survivors.get(i % survivors.size());
      long deadline = System.nanoTime() + ANSWERED_WITHIN.toNanos();
      HttpTestClient.Response response = signedWebhook(node, contact, token, "hello " + token);
      while (response.status() != 200) {
        assertThat(response.status()).as("a refused webhook says so with a server error: " + response.body()).isGreaterThanOrEqualTo(500);
        assertThat(System.nanoTime()).as(token + " accepted in time").isLessThan(deadline);
        node.process.awaitExitFor(POLL);
        response = signedWebhook(node, contact, token, "hello " + token);
      }
      tokens.add(token);
    }
    return tokens;
  }

  private String nextContact() {
    contacts++;
    return "3161" + String.format("%07d", contacts);
  }

  private HttpTestClient.Response signedWebhook(ClusterNode node, String contact, String token, String text) {
    byte[] body = ClusterStubs.textNotification(NUMBER_ID, contact, "wamid." + token, text);
    return node.api().post("/webhooks/whatsapp", body, ClusterStubs.signed(APP_SECRET, body));
  }

  // ---- waiting and looking ----

  /** Each token's reply reaches the Graph API, and no reply of these tokens reaches it twice. */
  private void awaitAnsweredOnce(List<String> tokens, String prefix) throws Exception {
    eventually(() -> tokens.stream().allMatch(token -> stubs.repliesWithText(prefix + token) >= 1),
        () -> "answers to " + tokens.stream().filter(token -> stubs.repliesWithText(prefix + token) == 0).toList());
    assertThat(tokens).allSatisfy(token -> assertThat(stubs.repliesWithText(prefix + token)).as(token).isEqualTo(1));
  }

  private void awaitMembers(ClusterNode node, int upMembers) throws Exception {
    eventually(() -> {
      JsonNode members = node.members();
      return members.path("members").size() == upMembers && members.path("unreachable").isEmpty()
          && IntStream.range(0, upMembers).allMatch(i -> "Up".equals(members.path("members").path(i).path("status").asText()));
    }, () -> node + " sees " + upMembers + " members up: " + node.members());
  }

  private ClusterNode oldest() {
    String oldest = running().get(0).members().path("oldest").asText();
    return nodes.stream().filter(node -> node.address().equals(oldest)).findFirst().orElseThrow();
  }

  private List<ClusterNode> running() {
    return nodes.stream().filter(node -> node.process.isAlive()).toList();
  }

  /** Waits until the feed holds the messages' events and the receiver has every feed event. */
  private void awaitEveryWebhookDelivered(ClusterNode node, List<String> tokens) throws Exception {
    eventually(() -> {
      List<JsonNode> events = feedEvents(node.api().withBearer(apiKey));
      List<String> received = events.stream().map(event -> event.path("data").path("messageId").asText()).toList();
      return tokens.stream().allMatch(token -> received.contains("wamid." + token))
          && stubs.webhookDeliveries().keySet().containsAll(events.stream().map(event -> event.path("id").asLong()).toList())
          && everyDeliveryRecorded(node);
    }, "every webhook event delivered and its delivery recorded");
  }

  /** The receiver has an event before the deliverer records it: a node killed in between would post it again. */
  private boolean everyDeliveryRecorded(ClusterNode node) {
    HttpTestClient.Response log = node.api().withBearer(apiKey).get("/api/v1/webhooks/" + webhookSubscriptionId + "/deliveries");
    assertThat(log.status()).as(log.body()).isEqualTo(200);
    return log.json().path("deliveries").findValuesAsText("status").stream().allMatch("delivered"::equals);
  }

  private List<JsonNode> feedEvents(HttpTestClient api) {
    List<JsonNode> events = new ArrayList<>();
    String cursor = "0";
    while (true) {
      HttpTestClient.Response response = api.get("/api/v1/events?after=" + cursor);
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      JsonNode page = response.json();
      page.path("events").forEach(events::add);
      if (page.path("events").isEmpty()) {
        return events;
      }
      cursor = page.path("nextCursor").asText();
    }
  }

  private void eventually(Supplier<Boolean> condition, String what) throws Exception {
    eventually(condition, () -> what);
  }

  /** Polls until true; between polls it waits on a running node's exit, so a node that crashes ends the wait. */
  private void eventually(Supplier<Boolean> condition, Supplier<String> what) throws Exception {
    long deadline = System.nanoTime() + ANSWERED_WITHIN.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("not within " + ANSWERED_WITHIN + ": " + what.get());
      }
      running().get(0).process.awaitExitFor(POLL);
    }
  }

  private String output(ClusterNode node) {
    try {
      return node.process.output();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Map<String, String> baseEnvironment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("LAYERCAKE_DB_URL", database.url());
    environment.put("LAYERCAKE_DB_USER", database.user());
    environment.put("LAYERCAKE_DB_PASSWORD", database.password().reveal());
    environment.put("LAYERCAKE_CLUSTER_HOST", "127.0.0.1");
    environment.put("LAYERCAKE_ADMIN_TOKEN", ADMIN_TOKEN);
    environment.put("LAYERCAKE_SESSIONS_WAKE_INTERVAL", "1s");
    environment.put("LAYERCAKE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
    environment.put("LAYERCAKE_WEBHOOKS_ALLOW_HTTP", "true");
    environment.put("LAYERCAKE_SECRETS_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
    // far longer than the test: a lost node's conversations must resume because it left, not because a grace passed
    environment.put("LAYERCAKE_SESSIONS_WAKE_GRACE", "5m");
    // conversations give their credit leases back a second after their last turn, so the ledger settles within the test
    environment.put("LAYERCAKE_SESSIONS_CREDIT_LEASE_IDLE", "1s");
    environment.putAll(stubs.providerEnvironment(APP_SECRET));
    environment.put("LAYERCAKE_LLM_MAX_CONCURRENT_CALLS", "32");
    environment.put("LAYERCAKE_CHANNELS_WEBCHAT_PAID_MESSAGES_PER_MINUTE", Integer.toString(WEBCHAT_PER_MINUTE));
    environment.put("LAYERCAKE_WEBHOOKS_POLL_INTERVAL", "200ms");
    environment.put("LAYERCAKE_WEBHOOKS_RETRY_MIN", "1s");
    return environment;
  }

  static void deleteRecursively(Path directory) throws java.io.IOException {
    if (Files.exists(directory)) {
      try (var paths = Files.walk(directory)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  private static long elapsedMillis(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }
}
