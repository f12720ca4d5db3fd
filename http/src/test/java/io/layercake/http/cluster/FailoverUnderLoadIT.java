package io.layercake.http.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.DatabaseSettings;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.persistence.testing.EmbeddedPostgresServer;
import io.layercake.runtime.session.SessionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
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
 * Losing a node under load, as an operator would: three nodes of the runnable jar on one embedded
 * PostgreSQL, with the default failover settings, one organization whose contacts write in a closed
 * loop through signed webhooks (refused ones sent again with the same id, as Meta does), and a
 * {@code kill -9} mid-run of, in turn, the node holding the organization's entity, the oldest node
 * (the singletons and the shard coordinator), and a node holding only conversations. Each time every
 * message is answered, nobody gets an apology, no reply goes out more than twice (the documented
 * window: a node dying between the provider's answer and recording it), and at the end every
 * conversation's recorded charges equal what the ledger charged it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverUnderLoadIT {
  private static final Logger log = LoggerFactory.getLogger(FailoverUnderLoadIT.class);
  private static final String ADMIN_TOKEN = "operator-token-for-failover-tests";
  private static final String APP_SECRET = "meta-app-secret-of-the-failover";
  private static final String GRAPH_TOKEN = "EAAG-failover-token";
  private static final String NUMBER_ID = "106540352242955";
  private static final int CONTACTS = 120;
  private static final int MESSAGES_EACH = 8;
  /** The node is killed once this share of the load's messages was answered: the rest runs through the failover. */
  private static final double KILL_AT = 0.3;
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LOAD_WITHIN = Duration.ofMinutes(3);
  /** As the nodes place conversations: the default extractor over the default 100 shards. */
  private static final HashCodeMessageExtractor<Object> SHARDS = new HashCodeMessageExtractor<>(100);

  private final Path workDir = Path.of("target", "failover-it");
  private EmbeddedPostgresServer postgres;
  private DatabaseSettings database;
  private ClusterStubs stubs;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<ConversationLoad> loads = new ArrayList<>();
  private final List<String> failovers = new ArrayList<>();
  private int contactsSoFar;

  @BeforeAll
  void startThreeNodes() throws Exception {
    ClusterIT.deleteRecursively(workDir);
    Files.createDirectories(workDir);
    postgres = EmbeddedPostgresServer.start();
    database = postgres.freshDatabase();
    stubs = new ClusterStubs(GRAPH_TOKEN);
    for (int i = 1; i <= 3; i++) {
      nodes.add(new ClusterNode("node" + i, workDir, ADMIN_TOKEN, this::baseEnvironment));
    }
    String contactPoints = nodes.stream().map(node -> "127.0.0.1:" + node.managementPort).collect(Collectors.joining(","));
    for (ClusterNode node : nodes) {
      node.start(Map.of(
          "LAYERCAKE_CLUSTER_DISCOVERY", "config",
          "LAYERCAKE_CLUSTER_CONTACT_POINTS", contactPoints,
          "LAYERCAKE_CLUSTER_REQUIRED_CONTACT_POINTS", "3"));
    }
    for (ClusterNode node : nodes) {
      node.process.awaitReady(READY_WITHIN);
    }
    for (ClusterNode node : nodes) {
      awaitMembers(node, 3);
    }
    HttpTestClient operator = nodes.get(0).operator();
    assertThat(operator.post("/admin/organizations", "{\"id\":\"acme\",\"name\":\"Acme Plumbing\",\"tier\":\"pro\"}").status())
        .isEqualTo(201);
    assertThat(operator.post("/admin/organizations/acme/purchases", "{\"idempotencyKey\":\"cs_acme_failover\",\"credits\":100000}")
        .status()).isEqualTo(200);
    assertThat(operator.post("/admin/agents", """
        {"agentId": "acme-bot", "orgId": "acme", "name": "Acme assistant", "doubleTexting": "queue",
         "model": {"provider": "openai", "model": "gpt-4o-mini"}}
        """).status()).isEqualTo(201);
    assertThat(operator.post("/admin/agents/acme-bot/channels", "{\"channel\":\"whatsapp\",\"address\":\"" + NUMBER_ID + "\"}")
        .status()).isEqualTo(201);
    assertThat(operator.send("PUT", "/admin/organizations/acme/channels/whatsapp", "{\"accessToken\":\"" + GRAPH_TOKEN + "\"}")
        .status()).isEqualTo(200);
  }

  @AfterAll
  void stopEverything() throws Exception {
    failovers.forEach(line -> log.info("failover under load: {}", line));
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
  void theNodeHoldingTheOrganizationIsKilledUnderLoad() throws Exception {
    ClusterNode victim = holderOf("Org", "acme");
    killUnderLoad("org", victim, "holding the organization" + roles(victim));
  }

  @Test
  @Order(2)
  void theOldestNodeHoldingTheSingletonsIsKilledUnderLoad() throws Exception {
    restartTheKilledNode();
    ClusterNode victim = oldest();
    killUnderLoad("oldest", victim, "the oldest (singletons, shard coordinator)" + roles(victim));
  }

  @Test
  @Order(3)
  void aNodeHoldingOnlyConversationsIsKilledUnderLoad() throws Exception {
    restartTheKilledNode();
    ClusterNode organization = holderOf("Org", "acme");
    ClusterNode agent = holderOf("Agent", "acme-bot");
    ClusterNode oldest = oldest();
    ClusterNode victim = running().stream().filter(node -> node != organization && node != agent && node != oldest).findFirst()
        .orElseGet(() -> running().stream().filter(node -> node != organization && node != oldest).findFirst().orElseThrow());
    killUnderLoad("sessions", victim, "holding conversations" + roles(victim));
  }

  @Test
  @Order(4)
  void everyConversationRecordedWhatTheLedgerChargedItOnce() throws Exception {
    HttpTestClient operator = running().get(0).operator();
    // leases come back a second after their conversation's last turn (those of killed nodes once woken elsewhere)
    eventually(() -> operator.get("/admin/organizations/acme/balance").json().path("openReservations").asInt() == 0,
        () -> "every lease back: " + operator.get("/admin/organizations/acme/balance").body());
    eventually(() -> operator.get("/admin/audit/ledger").json().path("clean").asBoolean(),
        () -> "the ledger and every conversation's charges agree: " + operator.get("/admin/audit/ledger").body());
    JsonNode audit = operator.get("/admin/audit/ledger").json();
    int messages = loads.stream().mapToInt(ConversationLoad::messages).sum();
    assertThat(audit.path("conversationsCompared").asInt()).isEqualTo(3 * CONTACTS);
    JsonNode balance = operator.get("/admin/organizations/acme/balance").json();
    assertThat(balance.path("available").asLong())
        .as(() -> "one credit per answered message: " + balance + "; conversations charged otherwise: " + chargedOtherwise(operator))
        .isEqualTo(100_000 - messages);
  }

  // ---- one kill ----

  private void killUnderLoad(String phase, ClusterNode victim, String what) throws Exception {
    ConversationLoad load = new ConversationLoad(phase, CONTACTS, MESSAGES_EACH, contactsSoFar, this::livePorts, stubs,
        APP_SECRET, NUMBER_ID, REPLY_TIMEOUT);
    contactsSoFar += CONTACTS;
    loads.add(load);
    load.start();
    // read a little before the kill: asking every region for its shards takes a moment (up to seconds), the load runs on
    eventually(() -> load.answered() >= load.messages() * KILL_AT / 2, () -> "some of " + phase + " answered: " + load.answered());
    Set<String> victimShards = sessionShardsOf(victim);
    eventually(() -> load.answered() >= load.messages() * KILL_AT, () -> "30 % of " + phase + " answered: " + load.answered());

    List<String> inFlight = load.inFlight();
    long killedAt = System.nanoTime();
    victim.process.kill();
    assertThat(inFlight).as("killed under load").isNotEmpty();
    log.info("SIGKILL of {} ({}) with {} messages in flight", victim, what, inFlight.size());

    assertThat(load.await(LOAD_WITHIN)).as("the " + phase + " load finished in time").isTrue();
    assertThat(load.errors()).as("no webhook refused with a client error").isEmpty();
    assertThat(load.unanswered()).as("every message answered").isEmpty();
    List<String> tokens = load.tokens();
    assertThat(tokens).allSatisfy(token -> assertThat(stubs.replyCount("re: " + token)).as(token).isBetween(1, 2));
    assertThat(stubs.replies()).as("no apology, no unavailable message").noneMatch(text -> text.startsWith("Sorry"));

    // the messages in flight to the conversations the killed node held: their answers are the failover
    List<Double> lostNodeAnswers = inFlight.stream()
        .filter(token -> victimShards.contains(SHARDS.shardId(sessionOf(token))))
        .map(token -> (stubs.whenSent("re: " + token).join() - killedAt) / 1e9).sorted().toList();
    long lastInFlightAnswered = inFlight.stream().mapToLong(token -> stubs.whenSent("re: " + token).join()).max().orElse(killedAt);
    long twice = tokens.stream().filter(token -> stubs.replyCount("re: " + token) == 2).count();
    String summary = String.format("%s: %s killed with %d of %d messages in flight (%d of them to its conversations);"
            + " those answered %.1f s (median) and at most %.1f s after the kill; every message in flight answered within"
            + " %.1f s, every message within %.1f s of its first post; %d webhooks refused (5xx) and %d unanswered"
            + " (node gone), all sent again and accepted; %d replies sent twice; 0 apologies",
        phase, what, inFlight.size(), load.messages(), lostNodeAnswers.size(),
        lostNodeAnswers.isEmpty() ? 0 : lostNodeAnswers.get(lostNodeAnswers.size() / 2),
        lostNodeAnswers.isEmpty() ? 0 : lostNodeAnswers.get(lostNodeAnswers.size() - 1),
        (lastInFlightAnswered - killedAt) / 1e9, load.slowestReplyMillis() / 1e3, load.refused(), load.unreachable(), twice);
    failovers.add(summary);
    log.info("failover under load: {}", summary);
    for (ClusterNode survivor : running()) {
      awaitMembers(survivor, 2);
    }
  }

  private void restartTheKilledNode() throws Exception {
    ClusterNode restarted = nodes.stream().filter(node -> !node.process.isAlive()).findFirst().orElseThrow();
    String seeds = nodes.stream().filter(node -> node != restarted).map(ClusterNode::address).collect(Collectors.joining(","));
    restarted.start(Map.of("LAYERCAKE_CLUSTER_SEED_NODES", seeds));
    restarted.process.awaitReady(READY_WITHIN);
    for (ClusterNode node : nodes) {
      awaitMembers(node, 3);
    }
  }

  /** Conversations whose recorded credits are not one per message, with their timelines: what to read when money is off. */
  private String chargedOtherwise(HttpTestClient operator) {
    List<String> found = new ArrayList<>();
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database.url(), database.user(),
            database.password().reveal());
        java.sql.ResultSet rows = connection.createStatement().executeQuery(
            "SELECT session_id, credits_used FROM conversations WHERE credits_used <> " + MESSAGES_EACH)) {
      while (rows.next()) {
        String sessionId = rows.getString(1);
        found.add(sessionId + " used " + rows.getLong(2) + ": "
            + operator.get("/admin/conversations/" + sessionId + "/timeline").body());
      }
    } catch (java.sql.SQLException e) {
      found.add("(could not read the conversations: " + e.getMessage() + ")");
    }
    return String.join("\n", found);
  }

  // ---- where things are ----

  /** The shards of conversations {@code node} holds now. */
  private Set<String> sessionShardsOf(ClusterNode node) {
    JsonNode region = running().get(0).operator().get("/admin/cluster").json().path("sharding").path("Session").path(node.address());
    Set<String> shards = new HashSet<>();
    region.path("shardIds").forEach(shard -> shards.add(shard.asText()));
    return shards;
  }

  private static String sessionOf(String token) {
    return new SessionKey("acme-bot", "whatsapp", "+" + ConversationLoad.phone(ConversationLoad.contactOf(token))).sessionId();
  }

  private ClusterNode holderOf(String type, String id) throws Exception {
    HttpTestClient operator = running().get(0).operator();
    // touched first, so its shard is allocated
    assertThat(operator.get("/admin/entities/" + type + "/" + id + "/state").status()).isEqualTo(200);
    String[] holder = new String[1];
    eventually(() -> {
      JsonNode located = operator.get("/admin/entities/" + type + "/" + id + "/node").json();
      holder[0] = located.path("node").isNull() ? null : located.path("node").asText();
      return holder[0] != null;
    }, () -> type + " " + id + " located");
    return nodes.stream().filter(node -> holder[0].equals(node.address())).findFirst().orElseThrow();
  }

  private String roles(ClusterNode node) throws Exception {
    List<String> roles = new ArrayList<>();
    if (holderOf("Org", "acme") == node) {
      roles.add("the organization");
    }
    if (holderOf("Agent", "acme-bot") == node) {
      roles.add("the agent");
    }
    if (oldest() == node) {
      roles.add("the singletons");
    }
    return roles.isEmpty() ? "; it holds conversations only" : "; it holds " + String.join(", ", roles);
  }

  private ClusterNode oldest() {
    String oldest = running().get(0).members().path("oldest").asText();
    return nodes.stream().filter(node -> node.address().equals(oldest)).findFirst().orElseThrow();
  }

  private List<ClusterNode> running() {
    return nodes.stream().filter(node -> node.process.isAlive()).toList();
  }

  private List<Integer> livePorts() {
    return running().stream().map(node -> node.httpPort).toList();
  }

  private void awaitMembers(ClusterNode node, int upMembers) throws Exception {
    eventually(() -> {
      JsonNode members = node.members();
      return members.path("members").size() == upMembers && members.path("unreachable").isEmpty();
    }, () -> node + " sees " + upMembers + " members up: " + node.members());
  }

  /** Polls until true; between polls it waits on a running node's exit, so a node that crashes ends the wait. */
  private void eventually(BooleanSupplier condition, Supplier<String> what) throws Exception {
    long deadline = System.nanoTime() + LOAD_WITHIN.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("not within " + LOAD_WITHIN + ": " + what.get());
      }
      running().get(0).process.awaitExitFor(Duration.ofMillis(250));
    }
  }

  private Map<String, String> baseEnvironment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("LAYERCAKE_DB_URL", database.url());
    environment.put("LAYERCAKE_DB_USER", database.user());
    environment.put("LAYERCAKE_DB_PASSWORD", database.password().reveal());
    environment.put("LAYERCAKE_CLUSTER_HOST", "127.0.0.1");
    environment.put("LAYERCAKE_ADMIN_TOKEN", ADMIN_TOKEN);
    environment.put("LAYERCAKE_SECRETS_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
    // far longer than the test: a lost node's conversations must resume because it left, not because a grace passed
    environment.put("LAYERCAKE_SESSIONS_WAKE_GRACE", "5m");
    // leases come back a second after a conversation's last turn, so the ledger settles within the test
    environment.put("LAYERCAKE_SESSIONS_CREDIT_LEASE_IDLE", "1s");
    environment.put("LAYERCAKE_LLM_MAX_CONCURRENT_CALLS", "64");
    environment.putAll(stubs.providerEnvironment(APP_SECRET));
    return environment;
  }
}
