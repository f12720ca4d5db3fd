package io.layercake.http.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.StubProvider;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.session.SessionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WhatsApp end to end on a real node (H2) and a Graph API stub on 127.0.0.1: a signed webhook in,
 * the turn with the offline model, the reply at the stub with the org's token, receipts back.
 */
class WhatsAppChannelTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final Secret APP_SECRET = Secret.of("meta-app-secret");
  private static final String VERIFY_TOKEN = "verify-me-please";
  private static final String NUMBER_ID = "106540352242922";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final AtomicInteger SENT = new AtomicInteger();

  private static StubProvider graph;
  private static LayercakeNode node;
  private static DatabaseSettings database;
  private static Path dataDir;
  private static HttpTestClient operator;
  private static HttpTestClient meta;

  @BeforeAll
  static void start(@TempDir Path dir) {
    graph = StubProvider.start(request -> StubProvider.Response.json(200,
        "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
            + "\"messages\":[{\"id\":\"wamid.OUT" + SENT.incrementAndGet() + "\"}]}"));
    database = DatabaseSettings.h2File(dir, 4);
    dataDir = dir;
    LayercakeSettings defaults = TestNodes.settings(dir, database, 100);
    ChannelSettings channels = defaults.channels();
    LayercakeSettings settings = defaults
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withChannels(new ChannelSettings(
            new ChannelSettings.WhatsApp(graph.baseUrl(), "v21.0", APP_SECRET, Secret.of(VERIFY_TOKEN)),
            channels.infobip(), channels.webchat(), Duration.ofSeconds(5)));
    node = LayercakeNode.start(settings);
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    meta = HttpTestClient.to(node.address());
    operator.post("/admin/organizations", "{\"id\":\"piet\",\"name\":\"Piet\",\"tier\":\"pro\"}");
    operator.post("/admin/organizations/piet/purchases", "{\"idempotencyKey\":\"cs_piet\",\"credits\":50}");
    operator.post("/admin/agents", """
        {"agentId": "piet-wa", "orgId": "piet", "name": "Piet's assistant", "doubleTexting": "queue",
         "faq": [{"question": "When are you open?", "answer": "Monday to Friday, 8 to 17."},
                 {"question": "Do you fix boilers?", "answer": "Yes, every make of boiler."}]}
        """);
    assertThat(operator.post("/admin/agents/piet-wa/channels", "{\"channel\":\"whatsapp\",\"address\":\"" + NUMBER_ID + "\"}")
        .status()).isEqualTo(201);
    assertThat(operator.send("PUT", "/admin/organizations/piet/channels/whatsapp", "{\"accessToken\":\"EAAG-org-token\"}")
        .status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    graph.close();
  }

  @Test
  void theAccessTokenIsStoredEncryptedAndNeverShown() throws Exception {
    List<String> stored = Sql.strings(database,
        "SELECT access_token FROM channel_accounts WHERE org_id = 'piet' AND channel = 'whatsapp'");
    Response channels = operator.get("/admin/organizations/piet/channels");
    Response state = operator.get("/admin/entities/Org/piet/state");
    List<Long> journalMentions = Sql.longs(database,
        "SELECT COUNT(*) FROM \"event_journal\" WHERE UTF8TOSTRING(\"event_payload\") LIKE '%EAAG-org-token%'");

    assertThat(stored).hasSize(1);
    assertThat(stored.get(0)).doesNotContain("EAAG-org-token").startsWith("enc:v1:");
    assertThat(channels.status()).isEqualTo(200);
    assertThat(channels.json().path("whatsapp").path("accessTokenConfigured").asBoolean()).isTrue();
    assertThat(channels.body()).doesNotContain("EAAG-org-token").doesNotContain(stored.get(0));
    assertThat(state.status()).as(state.body()).isEqualTo(200);
    assertThat(state.body()).doesNotContain("EAAG-org-token");
    assertThat(journalMentions).as("the journal (what the journal and timeline CLI print) never holds it")
        .containsExactly(0L);
    Path keyFile = dataDir.resolve("secrets.key");
    assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void theVerificationHandshakeEchoesTheChallengeOnlyForTheRightToken() {
    Response ok = meta.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=1158201444");
    Response wrong = meta.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("1158201444");
    assertThat(ok.contentType()).startsWith("text/plain");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.errorCode()).isEqualTo("verification_failed");
  }

  @Test
  void aSignedMessageIsAnsweredThroughTheGraphApiAndReceiptsUpdateIt() {
    String contact = "31612345678";
    Response accepted = signedPost(textMessage(contact, "wamid.IN-1", "When are you open?"));

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    StubProvider.Request sent = awaitSendTo("+" + contact);
    assertThat(sent.path()).isEqualTo("/v21.0/" + NUMBER_ID + "/messages");
    assertThat(sent.headers().get("Authorization")).isEqualTo("Bearer EAAG-org-token");
    JsonNode body = sent.json();
    assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
    assertThat(body.path("type").asText()).isEqualTo("text");
    assertThat(body.path("text").path("body").asText()).isEqualTo("Monday to Friday, 8 to 17.");

    String sessionId = new SessionKey("piet-wa", "whatsapp", "+" + contact).sessionId();
    String wamid = awaitOutbox(sessionId).path(0).path("providerMessageId").asText();
    assertThat(signedPost(status(contact, wamid, "read", null)).status()).isEqualTo(200);
    assertThat(signedPost(status(contact, wamid, "delivered", null)).status()).isEqualTo(200);
    eventually(() -> assertThat(operator.get("/admin/conversations/" + sessionId + "/messages").json().path("messages")
        .findValuesAsText("deliveryStatus")).as("inbound, then our reply").containsExactly("null", "read"));
  }

  @Test
  void theSameWebhookTwiceIsAnsweredOnce() {
    String contact = "31622222222";
    byte[] body = textMessage(contact, "wamid.DUP-1", "Do you fix boilers?");

    assertThat(signedPost(body).status()).isEqualTo(200);
    awaitSendTo("+" + contact);
    assertThat(signedPost(body).status()).isEqualTo(200);

    String sessionId = new SessionKey("piet-wa", "whatsapp", "+" + contact).sessionId();
    JsonNode view = operator.get("/admin/conversations/" + sessionId).json();
    assertThat(view.path("outbox")).hasSize(1);
    assertThat(view.path("messageCount").asLong()).isEqualTo(2);
    assertThat(graph.requests().stream().filter(request -> request.body().contains("+" + contact)).count()).isEqualTo(1);
  }

  @Test
  void aFailedStatusIsRecordedWithItsCodeAndTitle() {
    String contact = "31633333333";
    signedPost(textMessage(contact, "wamid.F-1", "Do you fix boilers?"));
    String sessionId = new SessionKey("piet-wa", "whatsapp", "+" + contact).sessionId();
    String wamid = awaitOutbox(sessionId).path(0).path("providerMessageId").asText();

    signedPost(status(contact, wamid, "failed", "{\"code\":131026,\"title\":\"Message undeliverable\"}"));

    JsonNode outbound = operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0);
    assertThat(outbound.path("status").asText()).isEqualTo("failed");
    assertThat(outbound.path("failure").asText()).isEqualTo("(#131026) Message undeliverable");
  }

  @Test
  void badSignaturesAndBadBodiesAreRefusedAndNothingIsStored() {
    String contact = "31644444444";
    byte[] body = textMessage(contact, "wamid.BAD-1", "hello");
    String sessionId = new SessionKey("piet-wa", "whatsapp", "+" + contact).sessionId();

    Response unsigned = meta.post("/webhooks/whatsapp", body, Map.of());
    Response forged = meta.post("/webhooks/whatsapp", body, Map.of("X-Hub-Signature-256", HubSignature.sign(Secret.of("other"), body)));
    Response tampered = meta.post("/webhooks/whatsapp", textMessage(contact, "wamid.BAD-1", "hello!"),
        Map.of("X-Hub-Signature-256", HubSignature.sign(APP_SECRET, body)));
    Response malformed = signedPost("{\"object\": ".getBytes(StandardCharsets.UTF_8));
    Response oversized = signedPost(("{\"pad\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8));

    assertThat(List.of(unsigned.status(), forged.status(), tampered.status())).containsOnly(401);
    assertThat(unsigned.errorCode()).isEqualTo("invalid_signature");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(oversized.status()).isEqualTo(413);
    assertThat(operator.get("/admin/conversations/" + sessionId).status()).isEqualTo(404);
  }

  @Test
  void messagesToUnboundNumbersAreAcknowledgedAndIgnoredWhileTheRestOfTheBatchIsKept() {
    String contact = "31655555555";
    String batch = """
        {"object":"whatsapp_business_account","entry":[
          {"id":"WABA-OTHER","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
            "metadata":{"display_phone_number":"15550000000","phone_number_id":"999999999"},
            "messages":[{"from":"%1$s","id":"wamid.U-1","timestamp":"%3$d","type":"text","text":{"body":"lost?"}}]}}]},
          {"id":"WABA-1","changes":[{"field":"account_update","value":{}},{"field":"messages","value":{"messaging_product":"whatsapp",
            "metadata":{"display_phone_number":"15550783881","phone_number_id":"%2$s"},
            "contacts":[{"profile":{"name":"Ann"},"wa_id":"%1$s"}],
            "messages":[{"from":"%1$s","id":"wamid.U-2","timestamp":"%3$d","type":"location",
              "location":{"latitude":52.37,"longitude":4.89,"name":"Dam Square"}}]}}]}]}
        """.formatted(contact, NUMBER_ID, Instant.now().getEpochSecond());

    assertThat(signedPost(batch.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);

    String sessionId = new SessionKey("piet-wa", "whatsapp", "+" + contact).sessionId();
    JsonNode view = operator.get("/admin/conversations/" + sessionId).json();
    assertThat(view.path("recentMessages").path(0).path("text").asText()).isEqualTo("[location] 52.37, 4.89, Dam Square");
    awaitSendTo("+" + contact);
  }

  @Test
  void reactionsStickersAndUnsupportedMessagesAreRecordedWithoutATurnOrACharge() {
    String contact = "31666666666";
    String sessionId = new SessionKey("piet-wa", "whatsapp", "+" + contact).sessionId();
    signedPost(textMessage(contact, "wamid.RX-1", "When are you open?"));
    JsonNode firstReply = awaitOutbox(sessionId).path(0);
    String wamid = firstReply.path("providerMessageId").asText();

    assertThat(signedPost(message(contact, "wamid.RX-2", "reaction",
        "{\"message_id\":\"" + wamid + "\",\"emoji\":\"\uD83D\uDC4D\"}")).status()).isEqualTo(200);
    assertThat(signedPost(message(contact, "wamid.RX-3", "sticker",
        "{\"mime_type\":\"image/webp\",\"sha256\":\"c2hh\",\"id\":\"1037\",\"animated\":false}")).status())
        .isEqualTo(200);
    assertThat(signedPost(unsupported(contact, "wamid.RX-4")).status()).isEqualTo(200);
    signedPost(textMessage(contact, "wamid.RX-5", "Do you fix boilers?"));

    // the positive control: the text after them is answered (handed to Meta), and the turn that answered it has settled
    eventually(() -> {
      JsonNode view = operator.get("/admin/conversations/" + sessionId).json();
      assertThat(view.path("outbox").findParents("text")).filteredOn(
              outbound -> outbound.path("text").asText().equals("Yes, every make of boiler."))
          .singleElement().satisfies(outbound -> assertThat(outbound.path("status").asText()).isEqualTo("sent"));
      assertThat(view.path("turnInProgress").isNull()).isTrue();
      assertThat(view.path("queuedMessages").asInt()).isZero();
    });
    JsonNode view = operator.get("/admin/conversations/" + sessionId).json();
    assertThat(view.path("creditsUsed").asLong()).as("only the two texts are charged").isEqualTo(2);
    assertThat(graph.requests().stream().filter(request -> ("+" + contact).equals(request.json().path("to").asText())))
        .as("only the two texts are answered").hasSize(2);
    JsonNode steps = operator.get("/admin/conversations/" + sessionId + "/timeline").json().path("steps");
    List<String> answered = steps.findParents("type").stream()
        .filter(step -> step.path("type").asText().equals("TurnStarted"))
        .map(step -> step.path("details").path("messageIds").toString()).toList();
    assertThat(answered).containsExactly("[\"wamid.RX-1\"]", "[\"wamid.RX-5\"]");
    JsonNode reaction = steps.findParents("type").stream()
        .filter(step -> step.path("type").asText().equals("ReactionReceived"))
        .findFirst().orElseThrow();
    assertThat(reaction.path("details").path("outboundId").asText()).isEqualTo(firstReply.path("outboundId").asText());

    eventually(() -> {
      JsonNode messages = operator.get("/admin/conversations/" + sessionId + "/messages").json().path("messages");
      assertThat(messages.findValuesAsText("messageId")).hasSize(6);
      assertThat(messages.findValuesAsText("kind"))
          .containsExactly("customer", "agent_reply", "sticker", "unsupported", "customer", "agent_reply");
      assertThat(messages.path(1).path("reaction").asText()).isEqualTo("\uD83D\uDC4D");
      assertThat(messages.path(3).path("text").asText()).isEqualTo("[unsupported message: edit]");
    });
  }

  @Test
  void theWindowCountsFromWhenTheCustomerWroteNotFromWhenMetaDeliveredIt() {
    String contact = "31677777777";
    String sessionId = new SessionKey("piet-wa", "whatsapp", "+" + contact).sessionId();
    Instant sixteenDaysAgo = Instant.now().minus(Duration.ofDays(16));

    assertThat(signedPost(textMessage(contact, "wamid.OLD-1", "When are you open?", sixteenDaysAgo)).status())
        .isEqualTo(200);

    // outside the window free text cannot go out (only a template could): the model is not asked, nothing is charged
    eventually(() -> assertThat(timelineTypes(sessionId)).contains("ReplyBlocked"));
    JsonNode blocked = operator.get("/admin/conversations/" + sessionId + "/timeline").json().path("steps")
        .findParents("type").stream().filter(step -> step.path("type").asText().equals("ReplyBlocked")).findFirst().orElseThrow();
    assertThat(blocked.toString()).contains("24-hour customer service window");
    JsonNode view = operator.get("/admin/conversations/" + sessionId).json();
    assertThat(Instant.parse(view.path("lastInboundAt").asText()))
        .isEqualTo(Instant.ofEpochSecond(sixteenDaysAgo.getEpochSecond()));
    assertThat(timelineTypes(sessionId)).doesNotContain("TurnStarted", "AgentReplied");
    assertThat(view.path("creditsUsed").asLong()).isZero();
    assertThat(view.path("outbox").size()).isZero();

    // the positive control: a fresh message opens the window, and its answer goes out as free text
    signedPost(textMessage(contact, "wamid.NEW-1", "Do you fix boilers?"));
    StubProvider.Request sent = awaitSendTo("+" + contact);
    assertThat(sent.json().path("text").path("body").asText()).isEqualTo("Yes, every make of boiler.");
  }

  // ---- helpers ----

  private static List<String> timelineTypes(String sessionId) {
    return operator.get("/admin/conversations/" + sessionId + "/timeline").json().path("steps").findValuesAsText("type");
  }

  private static Response signedPost(byte[] body) {
    return meta.post("/webhooks/whatsapp", body, Map.of("X-Hub-Signature-256", HubSignature.sign(APP_SECRET, body)));
  }

  private static byte[] textMessage(String from, String wamid, String text) {
    return textMessage(from, wamid, text, Instant.now());
  }

  /** Meta's {@code timestamp} is when the customer sent the message, in Unix seconds. */
  private static byte[] textMessage(String from, String wamid, String text, Instant sentAt) {
    return """
        {"object":"whatsapp_business_account","entry":[{"id":"WABA-1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
          "contacts":[{"profile":{"name":"Ann"},"wa_id":"%s"}],
          "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]}}]}]}
        """.formatted(NUMBER_ID, from, from, wamid, sentAt.getEpochSecond(), text).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] message(String from, String wamid, String type, String content) {
    return """
        {"object":"whatsapp_business_account","entry":[{"id":"WABA-1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
          "contacts":[{"profile":{"name":"Ann"},"wa_id":"%s"}],
          "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"%s","%s":%s}]}}]}]}
        """.formatted(NUMBER_ID, from, from, wamid, Instant.now().getEpochSecond(), type, type, content)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Meta's shape for a message type the Cloud API does not support (here an edit). */
  private static byte[] unsupported(String from, String wamid) {
    return """
        {"object":"whatsapp_business_account","entry":[{"id":"WABA-1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
          "contacts":[{"profile":{"name":"Ann"},"wa_id":"%s"}],
          "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"unsupported","unsupported":{"type":"edit"},
            "errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown",
              "error_data":{"details":"Message type is currently not supported."}}]}]}}]}]}
        """.formatted(NUMBER_ID, from, from, wamid, Instant.now().getEpochSecond()).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] status(String recipient, String wamid, String status, String error) {
    return """
        {"object":"whatsapp_business_account","entry":[{"id":"WABA-1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
          "statuses":[{"id":"%s","status":"%s","timestamp":"1764151300","recipient_id":"%s"%s}]}}]}]}
        """.formatted(NUMBER_ID, wamid, status, recipient, error == null ? "" : ",\"errors\":[" + error + "]")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static StubProvider.Request awaitSendTo(String to) {
    StubProvider.Request[] found = new StubProvider.Request[1];
    eventually(() -> {
      List<StubProvider.Request> sent = graph.requests().stream()
          .filter(request -> to.equals(request.json().path("to").asText())).toList();
      assertThat(sent).hasSize(1);
      found[0] = sent.get(0);
    });
    return found[0];
  }

  private static JsonNode awaitOutbox(String sessionId) {
    JsonNode[] outbox = new JsonNode[1];
    eventually(() -> {
      outbox[0] = operator.get("/admin/conversations/" + sessionId).json().path("outbox");
      assertThat(outbox[0].path(0).path("status").asText()).isEqualTo("sent");
    });
    return outbox[0];
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }
}
