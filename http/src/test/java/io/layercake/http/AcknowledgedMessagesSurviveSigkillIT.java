package io.layercake.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.http.cluster.ClusterStubs;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "200" means durable on the embedded default: signed WhatsApp webhooks are acknowledged, the node
 * process is killed with SIGKILL right after the last acknowledgement, and after a restart on the
 * same H2 file every acknowledged message is answered, once, and the ledger is clean.
 *
 * <p>The model holds every call until the kill, so no message is answered before it: an answer
 * after the restart can only come from a {@code MessageReceived} that reached the file.
 */
class AcknowledgedMessagesSurviveSigkillIT {
  private static final String ADMIN_TOKEN = "operator-token-for-the-kill-test";
  private static final String APP_SECRET = "app-secret-for-the-kill-test";
  private static final String GRAPH_TOKEN = "EAAG-kill-test-token";
  private static final String NUMBER_ID = "106540352242922";
  private static final int MESSAGES = 30;
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(90);

  @TempDir Path workDir;

  @Test
  void everyAcknowledgedWebhookIsAnsweredAfterAKill() throws Exception {
    try (ClusterStubs stubs = new ClusterStubs(GRAPH_TOKEN)) {
      Map<String, String> environment = environment(stubs);
      ServerProcess first = ServerProcess.start(workDir, environment, "before-kill.log");
      List<String> tokens = new ArrayList<>();
      try {
        first.awaitReady(READY_WITHIN);
        setUpAcme(first.client().withBearer(ADMIN_TOKEN));
        stubs.model.hold(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
          String token = "tok-kill-" + i;
          HttpTestClient.Response acknowledged = signedWebhook(first.client(), "3161" + String.format("%07d", i), token);
          assertThat(acknowledged.status()).as(acknowledged.body()).isEqualTo(200);
          tokens.add(token);
        }
      } finally {
        first.kill();
      }
      assertThat(stubs.replies()).as("the model held every turn: nothing was answered before the kill").isEmpty();
      stubs.model.release();

      ServerProcess second = ServerProcess.start(workDir, environment, "after-kill.log");
      try {
        second.awaitReady(READY_WITHIN);
        awaitAnswered(second, stubs, tokens);
      } finally {
        second.terminate(Duration.ofSeconds(10));
      }
      for (String token : tokens) {
        assertThat(stubs.repliesWithText("re: " + token)).as("answers to " + token).isEqualTo(1);
      }
      ServerProcess audit = ServerProcess.start(workDir, environment, "audit.log", "audit-ledger");
      assertThat(audit.awaitExit(Duration.ofSeconds(60))).as(audit.output()).isZero();
      assertThat(audit.output()).contains("the ledger is clean;");
    }
  }

  private static void setUpAcme(HttpTestClient operator) {
    assertThat(operator.post("/admin/organizations", "{\"id\":\"acme\",\"name\":\"Acme Plumbing\",\"tier\":\"pro\"}").status())
        .isEqualTo(201);
    assertThat(operator.post("/admin/organizations/acme/purchases", "{\"idempotencyKey\":\"cs_kill_1\",\"credits\":500}").status())
        .isEqualTo(200);
    assertThat(operator.post("/admin/agents", """
        {"agentId": "acme-bot", "orgId": "acme", "name": "Acme assistant", "doubleTexting": "queue",
         "model": {"provider": "openai", "model": "gpt-4o-mini"}}
        """).status()).isEqualTo(201);
    assertThat(operator.post("/admin/agents/acme-bot/channels", "{\"channel\":\"whatsapp\",\"address\":\"" + NUMBER_ID + "\"}")
        .status()).isEqualTo(201);
    assertThat(operator.send("PUT", "/admin/organizations/acme/channels/whatsapp", "{\"accessToken\":\"" + GRAPH_TOKEN + "\"}")
        .status()).isEqualTo(200);
  }

  private static void awaitAnswered(ServerProcess node, ClusterStubs stubs, List<String> tokens) throws Exception {
    long deadline = System.nanoTime() + ANSWERED_WITHIN.toNanos();
    List<String> missing = tokens;
    while (System.nanoTime() < deadline) {
      missing = tokens.stream().filter(token -> stubs.repliesWithText("re: " + token) == 0).toList();
      if (missing.isEmpty()) {
        return;
      }
      node.awaitExitFor(Duration.ofMillis(200));
    }
    throw new TimeoutException(missing.size() + " acknowledged message(s) never answered after the restart: " + missing
        + "\n" + node.output());
  }

  private static HttpTestClient.Response signedWebhook(HttpTestClient client, String contact, String token) {
    byte[] body = ClusterStubs.textNotification(NUMBER_ID, contact, "wamid." + token, "hello " + token);
    return client.post("/webhooks/whatsapp", body, ClusterStubs.signed(APP_SECRET, body));
  }

  private Map<String, String> environment(ClusterStubs stubs) {
    Map<String, String> environment = new HashMap<>();
    environment.put("LAYERCAKE_HTTP_PORT", Integer.toString(ServerProcess.freePort()));
    environment.put("LAYERCAKE_CLUSTER_PORT", Integer.toString(ServerProcess.freePort()));
    environment.put("LAYERCAKE_CLUSTER_MANAGEMENT_PORT", Integer.toString(ServerProcess.freePort()));
    environment.put("LAYERCAKE_DATA_DIR", workDir.resolve("data").toString());
    environment.put("LAYERCAKE_ADMIN_TOKEN", ADMIN_TOKEN);
    environment.put("LAYERCAKE_DEMO_ENABLED", "false");
    environment.putAll(stubs.providerEnvironment(APP_SECRET));
    // the restarted node wakes the unanswered conversations at once instead of after the default minute
    environment.put("LAYERCAKE_SESSIONS_WAKE_INTERVAL", "1s");
    environment.put("LAYERCAKE_SESSIONS_WAKE_GRACE", "1s");
    return environment;
  }
}
