package io.layercake.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.layercake.config.AdminSettings;
import io.layercake.config.BillingSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.config.WebhookSettings;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.StubProvider;
import io.layercake.http.webhooks.HubSignature;
import io.layercake.persistence.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A node run through the paths that handle secrets (admin token, API keys, a WhatsApp token and
 * app secret, a failing provider, webhook secrets, a Stripe secret and forged signatures, a sign-in
 * link, a session cookie and its CSRF token) logs none of them: not in messages, arguments, MDC
 * values or stack traces.
 */
class SecretsStayOutOfLogsTest {
  private static final String ADMIN_TOKEN = "operator-token-very-secret-1";
  private static final String WHATSAPP_TOKEN = "EAAG-whatsapp-token-very-secret";
  private static final String APP_SECRET = "meta-app-secret-very-secret";
  private static final String STRIPE_KEY = "sk_test_stripe_very_secret";
  private static final String STRIPE_WEBHOOK_SECRET = "whsec_stripe_very_secret";
  private static final String INFOBIP_WEBHOOK_TOKEN = "infobiptokenverysecret";
  private static final String INFOBIP_API_KEY = "infobip-api-key-very-secret";

  /** The sign-in token of the invitation email, written as a file (no SMTP configured), once it is there. */
  private static String emailedLinkToken(LayercakeNode node, Path dir) {
    java.util.regex.Pattern token = java.util.regex.Pattern.compile("token=([A-Za-z0-9_-]+)");
    return TestProbe.create(node.system()).awaitAssert(Duration.ofSeconds(20), () -> {
      try (var files = java.nio.file.Files.list(dir.resolve("mail"))) {
        Path file = files.findFirst().orElseThrow();
        try (var in = java.nio.file.Files.newInputStream(file)) {
          var message = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()), in);
          java.util.regex.Matcher matcher = token.matcher(message.getContent().toString());
          assertThat(matcher.find()).as("a sign-in link in " + file).isTrue();
          return matcher.group(1);
        }
      }
    });
  }

  @Test
  void noSecretReachesTheLogs(@TempDir Path dir) {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    captured.start();
    root.addAppender(captured);
    Logger access = (Logger) LoggerFactory.getLogger("io.layercake.http.access");
    ch.qos.logback.classic.Level accessLevel = access.getLevel();
    access.setLevel(ch.qos.logback.classic.Level.DEBUG);
    StubProvider graph = StubProvider.start(request -> StubProvider.Response.json(500, "{\"error\":{\"message\":\"boom\",\"code\":131000}}"));
    StubProvider receiver = StubProvider.start(request -> StubProvider.Response.json(500, "{}"));
    LayercakeNode node = null;
    List<String> secrets = new java.util.ArrayList<>(List.of(ADMIN_TOKEN, WHATSAPP_TOKEN, APP_SECRET, STRIPE_KEY, STRIPE_WEBHOOK_SECRET,
        INFOBIP_WEBHOOK_TOKEN, INFOBIP_API_KEY));
    try {
      LayercakeSettings defaults = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100);
      ChannelSettings channels = defaults.channels();
      node = LayercakeNode.start(defaults
          .withAdmin(new AdminSettings(Secret.of(ADMIN_TOKEN)))
          .withChannels(new ChannelSettings(new ChannelSettings.WhatsApp(graph.baseUrl(), "v21.0", Secret.of(APP_SECRET), Secret.of("verify")),
              new ChannelSettings.Infobip(channels.infobip().baseUrl(), Secret.of(INFOBIP_API_KEY), channels.infobip().applicationId(),
                  channels.infobip().defaultSender(), Secret.of(INFOBIP_WEBHOOK_TOKEN)),
              channels.webchat(), Duration.ofSeconds(5)))
          .withBilling(new BillingSettings("http://127.0.0.1:9", Secret.of(STRIPE_KEY), Secret.of(STRIPE_WEBHOOK_SECRET),
              Duration.ofMinutes(5), "https://app.example/done", "https://app.example/cancelled", 35))
          .withWebhooks(new WebhookSettings(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofHours(25),
              Duration.ofSeconds(2)).allowingPrivateHttpTargets()));
      HttpTestClient operator = HttpTestClient.to(node.address()).withBearer(ADMIN_TOKEN);
      HttpTestClient outside = HttpTestClient.to(node.address());
      operator.post("/admin/organizations", "{\"id\":\"quiet\",\"name\":\"Quiet\",\"tier\":\"pro\"}");
      operator.post("/admin/organizations/quiet/purchases", "{\"idempotencyKey\":\"cs_quiet\",\"credits\":10}");
      operator.post("/admin/agents", "{\"agentId\":\"quiet-bot\",\"orgId\":\"quiet\",\"name\":\"Quiet\",\"doubleTexting\":\"queue\"}");
      operator.post("/admin/agents/quiet-bot/channels", "{\"channel\":\"whatsapp\",\"address\":\"1234567890\"}");
      operator.send("PUT", "/admin/organizations/quiet/channels/whatsapp", "{\"accessToken\":\"" + WHATSAPP_TOKEN + "\"}");
      String apiKey = operator.post("/admin/organizations/quiet/api-keys",
              "{\"name\":\"k\",\"scopes\":[\"webhooks:write\",\"conversations:read\",\"members:write\"]}")
          .json().path("key").asText();
      secrets.add(apiKey);
      HttpTestClient api = HttpTestClient.to(node.address()).withBearer(apiKey);
      String hookSecret = api.post("/api/v1/webhooks", "{\"url\":\"" + receiver.baseUrl() + "/in\"}").json().path("secret").asText();
      secrets.add(hookSecret);
      api.get("/api/v1/conversations");
      api.post("/api/v1/invitations", "{\"email\":\"quiet@example.com\",\"role\":\"owner\"}");
      String link = emailedLinkToken(node, dir);
      secrets.add(link);
      outside.get("/auth/link?token=" + link);
      HttpTestClient.Response started = outside.post("/auth/session", "{\"token\":\"" + link + "\",\"name\":\"Quiet Owner\"}");
      String cookie = started.header("Set-Cookie").orElseThrow().replaceAll(";.*", "");
      secrets.add(cookie.substring(cookie.indexOf('=') + 1));
      secrets.add(started.json().path("csrfToken").asText());
      HttpTestClient person = outside.withHeaders(Map.of("Cookie", cookie, "X-CSRF-Token", started.json().path("csrfToken").asText()));
      person.get("/api/v1/me");
      person.post("/auth/sign-out", "{}");
      outside.post("/auth/session", "{\"token\":\"" + link + "\"}");
      HttpTestClient.to(node.address()).withBearer(apiKey + "x").get("/api/v1/conversations");
      HttpTestClient.to(node.address()).withBearer(ADMIN_TOKEN + "x").get("/admin/organizations/quiet");

      byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W\",\"changes\":[{\"field\":\"messages\",\"value\":{"
          + "\"metadata\":{\"phone_number_id\":\"1234567890\"},\"messages\":[{\"from\":\"31612345678\",\"id\":\"wamid.Q1\","
          + "\"timestamp\":\"" + java.time.Instant.now().getEpochSecond()
          + "\",\"type\":\"text\",\"text\":{\"body\":\"hello\"}}]}}]}]}").getBytes(StandardCharsets.UTF_8);
      String signature = HubSignature.sign(Secret.of(APP_SECRET), body);
      secrets.add(signature.substring("sha256=".length()));
      outside.post("/webhooks/whatsapp", body, Map.of("X-Hub-Signature-256", signature));
      outside.post("/webhooks/whatsapp", body, Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64)));
      outside.post("/webhooks/stripe", "{}".getBytes(StandardCharsets.UTF_8), Map.of("Stripe-Signature", "t=1,v1=" + "a".repeat(64)));
      outside.post("/webhooks/infobip/" + INFOBIP_WEBHOOK_TOKEN + "/sms", "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
      outside.post("/webhooks/infobip/" + INFOBIP_WEBHOOK_TOKEN + "/reports", "{\"results\":[]}".getBytes(StandardCharsets.UTF_8), Map.of());
      operator.post("/admin/organizations/quiet/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-100\"}");

      TestProbe<Object> probe = TestProbe.create(node.system());
      probe.awaitAssert(Duration.ofSeconds(20), () -> {
        assertThat(graph.requests()).as("the WhatsApp send was tried with the token").isNotEmpty();
        assertThat(receiver.requests()).as("a webhook delivery was tried with its secret").isNotEmpty();
        return null;
      });
    } finally {
      if (node != null) {
        node.stop().toCompletableFuture().join();
      }
      graph.close();
      receiver.close();
      root.detachAppender(captured);
      access.setLevel(accessLevel);
    }

    assertThat(captured.list).isNotEmpty();
    assertThat(captured.list).as("the access lines were captured").anySatisfy(event ->
        assertThat(event.getFormattedMessage()).startsWith("POST /webhooks/infobip/***/sms -> 400"));
    for (ILoggingEvent event : captured.list) {
      String everything = event.getFormattedMessage() + " " + event.getMDCPropertyMap()
          + (event.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(event.getThrowableProxy()));
      for (String secret : secrets) {
        assertThat(everything).as("a log line of " + event.getLoggerName()).doesNotContain(secret);
      }
    }
  }
}
