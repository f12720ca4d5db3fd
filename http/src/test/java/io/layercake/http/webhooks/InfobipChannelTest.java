package io.layercake.http.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.HttpSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.StubProvider;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.session.SessionKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Infobip SMS end to end on a real node (H2) and an Infobip stub on 127.0.0.1: inbound SMS to a
 * turn, the reply through {@code /sms/2/text/advanced} under the organization's entity (created
 * once, on the first send), delivery reports, senders, tiers, and the webhook's token.
 */
class InfobipChannelTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final String WEBHOOK = "/webhooks/infobip/ib-webhook-token-0123456789";
  private static final String PUBLIC_BASE_URL = "https://layercake.example.com";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final AtomicInteger SENT = new AtomicInteger();
  /** The stub rejects every SMS to this number for good. */
  private static final String REJECTED_NUMBER = "31677777777";

  private static StubProvider infobip;
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient provider;

  @BeforeAll
  static void start(@TempDir Path dir) {
    infobip = StubProvider.start(request -> request.path().startsWith("/provisioning/1/entities")
        ? StubProvider.Response.json(201, request.body())
        : request.body().contains(REJECTED_NUMBER)
        ? StubProvider.Response.json(200, "{\"bulkId\":\"bulk-2\",\"messages\":[{\"to\":\"" + REJECTED_NUMBER
            + "\",\"status\":{\"groupId\":5,\"groupName\":\"REJECTED\",\"id\":51,\"name\":\"MISSING_TO\","
            + "\"description\":\"Missing destination\"},"
            + "\"messageId\":\"ib-rejected\"}]}")
        : StubProvider.Response.json(200, "{\"bulkId\":\"bulk-1\",\"messages\":[{\"to\":\"x\",\"status\":{\"groupId\":1,"
            + "\"groupName\":\"PENDING\",\"id\":26,\"name\":\"PENDING_ACCEPTED\",\"description\":\"Message sent to next instance\"},"
            + "\"messageId\":\"ib-out-" + SENT.incrementAndGet() + "\"}]}"));
    LayercakeSettings defaults = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100);
    ChannelSettings channels = defaults.channels();
    HttpSettings http = defaults.http();
    node = LayercakeNode.start(defaults
        .withHttp(new HttpSettings(http.host(), http.port(), http.maxRequestBytes(), http.shutdownDeadline(), PUBLIC_BASE_URL))
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withChannels(new ChannelSettings(channels.whatsapp(),
            new ChannelSettings.Infobip(infobip.baseUrl(), Secret.of("ib-key"), "layercake-test", "Layercake",
                Secret.of("ib-webhook-token-0123456789")),
            channels.webchat(), Duration.ofSeconds(5))));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    provider = HttpTestClient.to(node.address());
    for (String[] org : new String[][] {
        {"salon", "pro", "+447700900123"}, {"free", "free", "+447700900999"},
        {"twin-a", "pro", "+447700900201"}, {"twin-b", "pro", "+447700900202"}, {"studio", "agency", "+447700900301"},
        {"optout", "pro", "+447700900401"}, {"rejecting", "pro", "+447700900501"}}) {
      operator.post("/admin/organizations", "{\"id\":\"" + org[0] + "\",\"name\":\"" + org[0] + "\",\"tier\":\"" + org[1] + "\"}");
      operator.post("/admin/organizations/" + org[0] + "/purchases", "{\"idempotencyKey\":\"cs_" + org[0] + "\",\"credits\":50}");
      operator.post("/admin/agents", """
          {"agentId": "%1$s-sms", "orgId": "%1$s", "name": "%1$s assistant", "doubleTexting": "queue",
           "faq": [{"question": "When are you open?", "answer": "Tuesday to Saturday, 9 to 18."},
                   {"question": "Do you cut curly hair?", "answer": "Yes, all hair types."}]}
          """.formatted(org[0]));
      assertThat(operator.post("/admin/agents/" + org[0] + "-sms/channels", "{\"channel\":\"sms\",\"address\":\"" + org[2] + "\"}")
          .status()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    infobip.close();
  }

  @Test
  void anInboundSmsIsAnsweredUnderTheOrganizationsEntityAndChargedForItsSegment() {
    Response accepted = provider.post(WEBHOOK + "/sms", inbound("ib-in-1", "31611111111", "447700900123", "When are you open?", null));

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    StubProvider.Request sent = awaitSmsTo("31611111111");
    assertThat(sent.headers().get("Authorization")).isEqualTo("App ib-key");
    JsonNode message = sent.json().path("messages").path(0);
    assertThat(message.path("from").asText()).as("the agent's own number").isEqualTo("447700900123");
    assertThat(message.path("text").asText()).isEqualTo("Tuesday to Saturday, 9 to 18.");
    assertThat(message.path("applicationId").asText()).isEqualTo("layercake-test");
    assertThat(message.path("entityId").asText()).isEqualTo("org-salon");
    String sessionId = new SessionKey("salon-sms", "sms", "+31611111111").sessionId();
    assertThat(message.path("callbackData").asText()).isEqualTo(sessionId);
    eventually(() -> assertThat(operator.get("/admin/organizations/salon/balance").json().path("available").asLong())
        .as("one reply and one SMS segment").isEqualTo(47));

    // The stub has answered before the entity records the send and the id Infobip gave it.
    eventually(() -> assertThat(operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0).path("status").asText())
        .isEqualTo("sent"));
    String providerId = operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0).path("providerMessageId").asText();
    assertThat(provider.post(WEBHOOK + "/reports", report(providerId, sessionId, "DELIVERED", "DELIVERED_TO_HANDSET")).status())
        .isEqualTo(200);
    assertThat(operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0).path("status").asText())
        .isEqualTo("delivered");
  }

  @Test
  void everySmsAsksForItsDeliveryReportsAtOurWebhook() {
    provider.post(WEBHOOK + "/sms", inbound("ib-dlr-1", "31688888881", "447700900123", "When are you open?", null));

    JsonNode message = awaitSmsTo("31688888881").json().path("messages").path(0);
    assertThat(message.path("notifyUrl").asText()).isEqualTo(PUBLIC_BASE_URL + WEBHOOK + "/reports");
    assertThat(message.path("notifyContentType").asText()).isEqualTo("application/json");
  }

  @Test
  void aReportWithAnotherSystemsCallbackDataIsMatchedByItsMessageId() {
    provider.post(WEBHOOK + "/sms", inbound("ib-dlr-2", "31688888882", "447700900123", "When are you open?", null));
    awaitSmsTo("31688888882");

    String sessionId = new SessionKey("salon-sms", "sms", "+31688888882").sessionId();
    eventually(() -> assertThat(operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0).path("status").asText())
        .isEqualTo("sent"));
    String providerId = operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0).path("providerMessageId").asText();
    // A report to an account-level subscription carries another system's callbackData; the messageId is ours.
    eventually(() -> {
      assertThat(provider.post(WEBHOOK + "/reports", report(providerId, "crm-campaign-42", "DELIVERED", "DELIVERED_TO_HANDSET"))
          .status()).isEqualTo(200);
      assertThat(operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0).path("status").asText())
          .isEqualTo("delivered");
    });
  }

  @Test
  void aReplyGoesOutFromTheNumberTheCustomerWroteToEvenWithAnAlphanumericSender() {
    String sender = "/admin/organizations/studio/channels/sms/sender";
    assertThat(operator.send("PUT", sender, "{\"senderId\":\"ab\"}").status()).isEqualTo(400);
    assertThat(operator.send("PUT", sender, "{\"senderId\":\"12345\"}").status()).isEqualTo(400);
    assertThat(operator.send("PUT", sender, "{\"senderId\":\"Studio One\"}").status()).isEqualTo(200);

    provider.post(WEBHOOK + "/sms", inbound("ib-in-sender", "31622222222", "447700900301", "Do you cut curly hair?", null));

    assertThat(awaitSmsTo("31622222222").json().path("messages").path(0).path("from").asText())
        .as("the customer can answer a number, not 'Studio One'").isEqualTo("447700900301");
    assertThat(operator.get("/admin/organizations/studio/channels").json().path("sms").path("senderId").asText()).isEqualTo("Studio One");
  }

  @Test
  void twoOrganizationsFirstSmsAtOnceCreateOneEntityEach() {
    List<CompletableFuture<Response>> posts = List.of(
        CompletableFuture.supplyAsync(() -> provider.post(WEBHOOK + "/sms", inbound("ib-c-1", "31633333331", "447700900201", "hi there", null))),
        CompletableFuture.supplyAsync(() -> provider.post(WEBHOOK + "/sms", inbound("ib-c-2", "31633333332", "447700900201", "hello there", null))),
        CompletableFuture.supplyAsync(() -> provider.post(WEBHOOK + "/sms", inbound("ib-c-3", "31633333333", "447700900202", "hi there", null))),
        CompletableFuture.supplyAsync(() -> provider.post(WEBHOOK + "/sms", inbound("ib-c-4", "31633333334", "447700900202", "hello there", null))));
    posts.forEach(post -> assertThat(post.join().status()).isEqualTo(200));

    List.of("31633333331", "31633333332", "31633333333", "31633333334").forEach(InfobipChannelTest::awaitSmsTo);
    assertThat(infobip.requestsTo("/provisioning/1/entities").stream().map(request -> request.json().path("entityId").asText()))
        .filteredOn(id -> id.startsWith("org-twin")).containsExactlyInAnyOrder("org-twin-a", "org-twin-b");
    assertThat(operator.get("/admin/organizations/twin-b/channels").json().path("sms").path("entityId").asText()).isEqualTo("org-twin-b");
  }

  @Test
  void theFreeTierRunsNoModelChargesNothingAndTellsTheOrganizationWhy() {
    provider.post(WEBHOOK + "/sms", inbound("ib-free-1", "31644444444", "447700900999", "When are you open?", null));

    String sessionId = new SessionKey("free-sms", "sms", "+31644444444").sessionId();
    HttpTestClient api = apiKeyFor("free");
    eventually(() -> assertThat(steps(api, sessionId)).contains("ReplyBlocked"));
    JsonNode timeline = api.get("/api/v1/conversations/" + sessionId + "/timeline").json().path("steps");
    assertThat(timeline.findValues("type").stream().map(JsonNode::asText))
        .as("no turn: the model is not called, nothing is reserved").doesNotContain("TurnStarted", "AgentReplied");
    assertThat(timeline.findValues("reason").stream().map(JsonNode::asText))
        .contains("platform SMS is not included in the free tier");
    JsonNode balance = operator.get("/admin/organizations/free/balance").json();
    assertThat(balance.path("available").asLong()).as(balance.toString()).isEqualTo(50);
    assertThat(balance.path("reserved").asLong()).as(balance.toString()).isZero();
    assertThat(operator.get("/admin/conversations/" + sessionId).json().path("outbox")).as("nothing queued").isEmpty();
    eventually(() -> assertThat(events(api, sessionId)).contains("conversation.reply_blocked"));
    assertThat(infobip.requests()).noneMatch(request -> request.body().contains("31644444444"));
  }

  @Test
  void aReplyTheProviderRejectsForGoodIsChargedWithoutItsSmsSegments() {
    provider.post(WEBHOOK + "/sms", inbound("ib-rej-1", REJECTED_NUMBER, "447700900501", "When are you open?", null));

    String sessionId = new SessionKey("rejecting-sms", "sms", "+" + REJECTED_NUMBER).sessionId();
    HttpTestClient api = apiKeyFor("rejecting");
    eventually(() -> assertThat(steps(api, sessionId)).contains("TurnSettled"));
    JsonNode outbound = operator.get("/admin/conversations/" + sessionId).json().path("outbox").path(0);
    assertThat(outbound.path("status").asText()).isEqualTo("failed");
    assertThat(outbound.path("failure").asText()).startsWith("MISSING_TO");
    JsonNode balance = operator.get("/admin/organizations/rejecting/balance").json();
    assertThat(balance.path("available").asLong()).as("the reply (1), not its SMS segment (2): " + balance)
        .isEqualTo(49);
    assertThat(balance.path("reserved").asLong()).as(balance.toString()).isZero();
  }

  @Test
  void anSmsIsRoutedByItsEntityFirst() {
    provider.post(WEBHOOK + "/sms", inbound("ib-e-0", "31655555550", "447700900123", "When are you open?", null));
    awaitSmsTo("31655555550");

    Response routed = provider.post(WEBHOOK + "/sms", inbound("ib-e-1", "31655555555", "447700900777", "When are you open?", "org-salon"));

    assertThat(routed.status()).isEqualTo(200);
    assertThat(operator.get("/admin/conversations/" + new SessionKey("salon-sms", "sms", "+31655555555").sessionId()).status())
        .isEqualTo(200);
    assertThat(awaitSmsTo("31655555555").json().path("messages").path(0).path("from").asText())
        .as("the number the customer wrote to, not the agent's other number").isEqualTo("447700900777");
  }

  @Test
  void aWrongTokenOrABadBodyIsRefusedAndUnknownNumbersAreIgnored() {
    String body = inbound("ib-bad-1", "31666666666", "447700900123", "hello", null);
    String sessionId = new SessionKey("salon-sms", "sms", "+31666666666").sessionId();

    assertThat(provider.post("/webhooks/infobip/not-the-token/sms", body).status()).isEqualTo(401);
    assertThat(provider.post(WEBHOOK + "/sms", "{\"results\": [").status()).isEqualTo(400);
    assertThat(provider.post(WEBHOOK + "/sms", "{\"messages\": []}").status()).isEqualTo(400);
    assertThat(provider.post(WEBHOOK + "/sms", inbound("ib-unknown", "31666666667", "447700900000", "hi", "org-nobody")).status())
        .isEqualTo(200);
    assertThat(operator.get("/admin/conversations/" + sessionId).status()).isEqualTo(404);
  }

  @Test
  void stopOptsTheContactOutFreeAndWithoutAnyReplyUntilStart() {
    String sessionId = new SessionKey("optout-sms", "sms", "+31688888888").sessionId();
    HttpTestClient api = apiKeyFor("optout");

    assertThat(provider.post(WEBHOOK + "/sms", inbound("ib-stop-1", "31688888888", "447700900401",
        "STOP please remove me from your list", null)).status()).isEqualTo(200);
    eventually(() -> assertThat(steps(api, sessionId)).contains("ContactOptedOut"));
    provider.post(WEBHOOK + "/sms", inbound("ib-stop-2", "31688888888", "447700900401", "When are you open?", null));
    provider.post(WEBHOOK + "/sms", inbound("ib-stop-3", "31688888888", "447700900401", "help", null));

    Response person = api.post("/api/v1/conversations/" + sessionId + "/messages", "{\"text\":\"Bye\"}");
    assertThat(person.status()).as(person.body()).isEqualTo(409);
    assertThat(person.json().path("error").path("code").asText()).isEqualTo("contact_opted_out");
    JsonNode detail = api.get("/api/v1/conversations/" + sessionId).json();
    assertThat(detail.path("optedOut").asBoolean()).isTrue();
    eventually(() -> assertThat(events(api, sessionId)).contains("contact.opted_out"));
    eventually(() -> assertThat(api.get("/api/v1/conversations?channel=sms").json().path("conversations"))
        .as("the list (a read model)").anySatisfy(listed -> {
          assertThat(listed.path("sessionId").asText()).isEqualTo(sessionId);
          assertThat(listed.path("optedOut").asBoolean()).isTrue();
        }));

    provider.post(WEBHOOK + "/sms", inbound("ib-stop-4", "31688888888", "447700900401", "Start", null));
    eventually(() -> assertThat(steps(api, sessionId)).contains("ContactOptedIn"));
    provider.post(WEBHOOK + "/sms", inbound("ib-stop-5", "31688888888", "447700900401", "Do you cut curly hair?",
        null));

    assertThat(awaitSmsTo("31688888888").json().path("messages").path(0).path("text").asText())
        .as("only the question after START is answered").isEqualTo("Yes, all hair types.");
    eventually(() -> assertThat(events(api, sessionId)).contains("contact.opted_out", "contact.opted_in"));
    eventually(() -> assertThat(operator.get("/admin/organizations/optout/balance").json().path("available").asLong())
        .as("one reply and one SMS segment, for the question after START only").isEqualTo(47));
    List<String> steps = steps(api, sessionId);
    assertThat(steps.stream().filter("TurnStarted"::equals).count()).as(String.join(", ", steps)).isEqualTo(1);
    assertThat(api.get("/api/v1/conversations/" + sessionId).json().path("optedOut").asBoolean()).isFalse();
  }

  @Test
  void helpIsAnsweredWithTheOrganizationsHelpTextForFree() {
    provider.post(WEBHOOK + "/sms", inbound("ib-help-1", "31699999999", "447700900401", "HELP", null));

    String text = awaitSmsTo("31699999999").json().path("messages").path(0).path("text").asText();
    assertThat(text).startsWith("optout:").contains("STOP", "START");
    String sessionId = new SessionKey("optout-sms", "sms", "+31699999999").sessionId();
    HttpTestClient api = apiKeyFor("optout");
    eventually(() -> assertThat(steps(api, sessionId)).contains("MessageReceived", "ReplyQueued")
        .as("no model call, no charge").doesNotContain("TurnStarted", "AgentReplied"));
  }

  @Test
  void anImportedBindingWrittenWithSpacesReceivesSmsToItsE164Number() {
    operator.post("/admin/organizations", "{\"id\":\"importer\",\"name\":\"Importer\",\"tier\":\"pro\"}");
    operator.post("/admin/organizations/importer/purchases", "{\"idempotencyKey\":\"cs_importer\",\"credits\":50}");
    Response imported = operator.post("/admin/organizations/importer/agent-imports", """
        {"bundleId": "importer-setup-1",
         "agent": {"agentId": "importer-sms", "name": "Importer assistant",
                   "faq": [{"question": "When are you open?", "answer": "Monday to Friday."}]},
         "documents": [],
         "channelBindings": [{"channel": "sms", "address": "+31 6 1234 5678"}]}
        """);
    assertThat(imported.status()).as(imported.body()).isEqualTo(201);

    Response received = provider.post(WEBHOOK + "/sms", inbound("ib-imp-1", "31677777777", "31612345678", "When are you open?", null));

    assertThat(received.status()).isEqualTo(200);
    StubProvider.Request reply = awaitSmsTo("31677777777");
    assertThat(reply.json().path("messages").path(0).path("text").asText()).isEqualTo("Monday to Friday.");
    assertThat(operator.get("/admin/organizations/importer/channels").json().path("bindings").path(0).path("address").asText())
        .isEqualTo("+31612345678");
  }

  @Test
  void anImportedBindingThatIsNotANumberRefusesTheBundle() {
    operator.post("/admin/organizations", "{\"id\":\"importer-bad\",\"name\":\"Importer\",\"tier\":\"pro\"}");
    Response refused = operator.post("/admin/organizations/importer-bad/agent-imports", """
        {"bundleId": "importer-bad-1", "agent": {"agentId": "importer-bad-sms", "name": "Importer assistant"},
         "documents": [], "channelBindings": [{"channel": "sms", "address": "020 7946 0958"}]}
        """);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("error").path("message").asText()).contains("channelBindings[0]").contains("020 7946 0958");
    assertThat(operator.get("/admin/agents/importer-bad-sms").status()).isEqualTo(404);
  }

  @Test
  void typedNumbersAreBoundInE164WithTheOrganizationsDefaultCountry() {
    operator.post("/admin/organizations", "{\"id\":\"london\",\"name\":\"London\",\"tier\":\"pro\"}");
    operator.post("/admin/agents", "{\"agentId\": \"london-sms\", \"orgId\": \"london\", \"name\": \"London assistant\"}");
    String bind = "/admin/agents/london-sms/channels";

    Response bracketed = operator.post(bind, "{\"channel\":\"sms\",\"address\":\"+44 (0)20 7946 0958\"}");
    assertThat(bracketed.status()).as(bracketed.body()).isEqualTo(201);
    assertThat(bracketed.json().path("address").asText()).isEqualTo("+442079460958");

    Response national = operator.post(bind, "{\"channel\":\"sms\",\"address\":\"020 7946 0959\"}");
    assertThat(national.status()).isEqualTo(400);
    assertThat(national.json().path("error").path("code").asText()).isEqualTo("invalid_phone_number");
    assertThat(national.json().path("error").path("message").asText()).contains("default country");
    assertThat(operator.send("PUT", "/admin/organizations/london/channels/default-country", "{\"country\":\"UK\"}").status())
        .isEqualTo(400);
    assertThat(operator.send("PUT", "/admin/organizations/london/channels/default-country", "{\"country\":\"gb\"}")
        .json().path("defaultCountry").asText()).isEqualTo("GB");

    Response nationalInGb = operator.post(bind, "{\"channel\":\"sms\",\"address\":\"020 7946 0959\"}");
    assertThat(nationalInGb.status()).as(nationalInGb.body()).isEqualTo(201);
    assertThat(nationalInGb.json().path("address").asText()).isEqualTo("+442079460959");
    assertThat(operator.post(bind, "{\"channel\":\"sms\",\"address\":\"call me\"}").status()).isEqualTo(400);
    assertThat(operator.get("/admin/organizations/london/channels").json().path("bindings").findValuesAsText("address"))
        .containsExactly("+442079460958", "+442079460959");
  }

  // ---- helpers ----

  private static HttpTestClient apiKeyFor(String orgId) {
    Response created = operator.post("/admin/organizations/" + orgId + "/api-keys",
        "{\"name\":\"test\",\"scopes\":[\"conversations:read\",\"conversations:write\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return HttpTestClient.to(node.address()).withBearer(created.json().path("key").asText());
  }

  /** The conversation's timeline as event types; empty while the read model has no row for it yet. */
  private static List<String> steps(HttpTestClient api, String sessionId) {
    Response timeline = api.get("/api/v1/conversations/" + sessionId + "/timeline");
    return timeline.status() != 200 ? List.of()
        : timeline.json().path("steps").findValues("type").stream().map(JsonNode::asText).toList();
  }

  private static List<String> events(HttpTestClient api, String sessionId) {
    return java.util.stream.StreamSupport.stream(api.get("/api/v1/events").json().path("events").spliterator(), false)
        .filter(event -> sessionId.equals(event.path("sessionId").asText()))
        .map(event -> event.path("type").asText()).toList();
  }


  private static String inbound(String messageId, String from, String to, String text, String entityId) {
    return """
        {"results":[{"messageId":"%s","from":"%s","to":"%s","text":"%s","cleanText":"%s","keyword":"",
          "receivedAt":"2026-11-26T09:28:39.220+0000","smsCount":1,"price":{"pricePerMessage":0,"currency":"EUR"},
          "callbackData":null%s}],"messageCount":1,"pendingMessageCount":0}
        """.formatted(messageId, from, to, text, text,
        entityId == null ? "" : ",\"entityId\":\"" + entityId + "\",\"applicationId\":\"layercake-test\"");
  }

  private static String report(String messageId, String sessionId, String group, String name) {
    return """
        {"results":[{"bulkId":"bulk-1","messageId":"%s","to":"31611111111","sentAt":"2026-11-26T09:30:00.000+0000",
          "doneAt":"2026-11-26T09:30:05.000+0000","smsCount":1,"mccMnc":"20408","callbackData":"%s",
          "price":{"pricePerMessage":0.01,"currency":"EUR"},
          "status":{"groupId":3,"groupName":"%s","id":5,"name":"%s","description":"Message delivered to handset"},
          "error":{"groupId":0,"groupName":"OK","id":0,"name":"NO_ERROR","description":"No Error","permanent":false},
          "entityId":"org-salon","applicationId":"layercake-test"}]}
        """.formatted(messageId, sessionId, group, name);
  }

  private static StubProvider.Request awaitSmsTo(String to) {
    StubProvider.Request[] found = new StubProvider.Request[1];
    eventually(() -> {
      List<StubProvider.Request> sent = infobip.requestsTo("/sms/2/text/advanced").stream()
          .filter(request -> to.equals(request.json().path("messages").path(0).path("destinations").path(0).path("to").asText()))
          .toList();
      assertThat(sent).hasSize(1);
      found[0] = sent.get(0);
    });
    return found[0];
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }
}
