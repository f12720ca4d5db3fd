package io.layercake.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.AdminSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.cluster.ClusterStubs;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.StubProvider;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestNodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a turn reads but rarely changes is read once per node, not once per turn (counted in H2's
 * statement statistics), and a change (token rotated, agent updated or paused, number bound,
 * document added or removed) is seen by the next turn. A real node, the offline model, a Graph API stub.
 */
class ReferenceDataNodeTest {
  private static final Logger log = LoggerFactory.getLogger(ReferenceDataNodeTest.class);
  private static final String TOKEN = "operator-token-for-tests";
  private static final String APP_SECRET = "meta-app-secret";
  private static final String NUMBER_ID = "106540352242944";
  private static final String OTHER_NUMBER_ID = "106540352242955";
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);
  private static final String AGENT = """
      {"agentId": "ref-bot", "orgId": "refs", "name": "Ref assistant", "doubleTexting": "queue",
       "faq": [{"question": "When are you open?", "answer": "%s"}]}
      """;
  private static final int TURNS = 20;

  private static final LinkedBlockingQueue<StubProvider.Request> SENT = new LinkedBlockingQueue<>();
  private static StubProvider graph;
  private static LayercakeNode node;
  private static DatabaseSettings database;
  private static HttpTestClient meta;
  private static HttpTestClient operator;
  private static int messages;

  @BeforeAll
  static void start(@TempDir Path dir) throws SQLException {
    graph = StubProvider.start(request -> {
      SENT.add(request);
      return StubProvider.Response.json(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.R"
          + SENT.size() + "\"}]}");
    });
    database = DatabaseSettings.h2File(dir, 4);
    LayercakeSettings defaults = TestNodes.settings(dir, database, 100);
    ChannelSettings channels = defaults.channels();
    node = LayercakeNode.start(defaults
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withChannels(new ChannelSettings(
            new ChannelSettings.WhatsApp(graph.baseUrl(), "v21.0", Secret.of(APP_SECRET), Secret.of("verify")),
            channels.infobip(), channels.webchat(), Duration.ofSeconds(5))));
    meta = HttpTestClient.to(node.address());
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    assertThat(operator.post("/admin/organizations", "{\"id\":\"refs\",\"name\":\"Refs\",\"tier\":\"pro\"}").status())
        .isEqualTo(201);
    assertThat(operator.post("/admin/organizations/refs/purchases", "{\"idempotencyKey\":\"cs_refs\",\"credits\":500}")
        .status()).isEqualTo(200);
    assertThat(operator.post("/admin/agents", AGENT.formatted("Monday to Friday.")).status()).isEqualTo(201);
    assertThat(operator.post("/admin/agents/ref-bot/channels",
        "{\"channel\":\"whatsapp\",\"address\":\"" + NUMBER_ID + "\"}").status()).isEqualTo(201);
    rotateToken("EAAG-first");
    try (Connection connection = Sql.connect(database); Statement statement = connection.createStatement()) {
      statement.execute("SET QUERY_STATISTICS_MAX_ENTRIES 5000");
      statement.execute("SET QUERY_STATISTICS TRUE");
    }
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    graph.close();
  }

  @Test
  void aTurnLooksUpNoBindingNumberTokenOrKnowledgeOnceTheyAreKept() throws Exception {
    String contact = "3162000001";
    ask(NUMBER_ID, contact, "When are you open?");
    long before = referenceLookups();
    for (int i = 0; i < TURNS; i++) {
      ask(NUMBER_ID, contact, "When are you open?");
    }
    long lookups = referenceLookups() - before;
    log.info("{} look-ups of bindings, numbers, tokens and knowledge in {} turns", lookups, TURNS);

    assertThat(lookups).as("look-ups of channel bindings, accounts and knowledge documents in %d turns", TURNS)
        .isZero();
  }

  @Test
  void theNextTurnSeesARotatedTokenAnUpdatedOrPausedAgentANewNumberAndChangedKnowledge() throws Exception {
    String contact = "3162000002";
    StubProvider.Request first = ask(NUMBER_ID, contact, "When are you open?");
    assertThat(first.headers().get("Authorization")).isEqualTo("Bearer EAAG-first");
    assertThat(first.json().path("text").path("body").asText()).isEqualTo("Monday to Friday.");

    rotateToken("EAAG-second");
    assertThat(ask(NUMBER_ID, contact, "When are you open?").headers().get("Authorization"))
        .isEqualTo("Bearer EAAG-second");

    assertThat(operator.send("PUT", "/admin/agents/ref-bot", AGENT.formatted("Every day, 7 to 22.")).status())
        .isEqualTo(200);
    assertThat(ask(NUMBER_ID, contact, "When are you open?").json().path("text").path("body").asText())
        .isEqualTo("Every day, 7 to 22.");

    String id = operator.post("/admin/organizations/refs/documents",
        "{\"title\":\"Emergencies\",\"text\":\"Burst pipe emergency: our night team comes out within the hour.\"}")
        .json().path("id").asText();
    assertThat(ask(NUMBER_ID, contact, "Is there a night team for a burst pipe emergency?").json().path("text")
        .path("body").asText()).contains("night team");
    assertThat(operator.send("DELETE", "/admin/organizations/refs/documents/" + id, "").status()).isEqualTo(204);
    assertThat(ask(NUMBER_ID, contact, "Is there a night team for a burst pipe emergency?").json().path("text")
        .path("body").asText()).doesNotContain("night team");

    // a number nobody answers on is remembered as unbound; binding it is seen by the next message
    assertThat(post(OTHER_NUMBER_ID, "3162000003", "When are you open?").status()).isEqualTo(200);
    assertThat(operator.post("/admin/agents/ref-bot/channels",
        "{\"channel\":\"whatsapp\",\"address\":\"" + OTHER_NUMBER_ID + "\"}").status()).isEqualTo(201);
    assertThat(ask(OTHER_NUMBER_ID, "3162000003", "When are you open?").json().path("to").asText())
        .isEqualTo("+3162000003");

    assertThat(operator.post("/admin/agents/ref-bot/pause", "{}").status()).isEqualTo(200);
    assertThat(ask(NUMBER_ID, contact, "When are you open?").json().path("text").path("body").asText())
        .as("a paused agent does not answer: the apology, and people take over").isNotEqualTo("Every day, 7 to 22.");
    assertThat(operator.post("/admin/agents/ref-bot/resume", "{}").status()).isEqualTo(200);
    assertThat(ask(NUMBER_ID, "3162000004", "When are you open?").json().path("text").path("body").asText())
        .isEqualTo("Every day, 7 to 22.");
  }

  /** Sends one customer message and returns what the node sent to the Graph API for it. */
  private static StubProvider.Request ask(String numberId, String contact, String text) throws InterruptedException {
    SENT.clear();
    assertThat(post(numberId, contact, text).status()).isEqualTo(200);
    StubProvider.Request sent = SENT.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(sent).as("a reply to '" + text + "'").isNotNull();
    return sent;
  }

  /** A signed Cloud API notification of one text message from {@code contact} to {@code numberId}. */
  private static HttpTestClient.Response post(String numberId, String contact, String text) {
    byte[] body = ClusterStubs.textNotification(numberId, contact, "wamid.REF-" + (++messages), text);
    return meta.post("/webhooks/whatsapp", body, ClusterStubs.signed(APP_SECRET, body));
  }

  private static void rotateToken(String token) {
    assertThat(operator.send("PUT", "/admin/organizations/refs/channels/whatsapp",
        "{\"accessToken\":\"" + token + "\"}").status()).isEqualTo(200);
  }

  /** Statements so far that read channel bindings, channel accounts or knowledge documents. */
  private static long referenceLookups() {
    List<Long> counts = Sql.longs(database,
        "SELECT COALESCE(SUM(EXECUTION_COUNT), 0) FROM INFORMATION_SCHEMA.QUERY_STATISTICS"
        + " WHERE LOWER(SQL_STATEMENT) LIKE 'select%' AND SQL_STATEMENT NOT LIKE '%QUERY_STATISTICS%'"
        + " AND (LOWER(SQL_STATEMENT) LIKE '%channel_bindings%'"
        + " OR LOWER(SQL_STATEMENT) LIKE '%channel_accounts%' OR LOWER(SQL_STATEMENT) LIKE '%knowledge_documents%')");
    return counts.get(0);
  }
}
