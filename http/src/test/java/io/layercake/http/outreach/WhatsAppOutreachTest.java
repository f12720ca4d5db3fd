package io.layercake.http.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.StubProvider;
import io.layercake.http.webhooks.HubSignature;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.session.SessionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * WhatsApp templates end to end against a Graph API stub on 127.0.0.1 that speaks Meta's wire format:
 * the business account's templates synced page by page, listed per organization, moved by a signed
 * status webhook, and a conversation started with one to a contact who never wrote, answered by the
 * agent once the customer replies; and Embedded Signup's calls in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WhatsAppOutreachTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final Secret APP_SECRET = Secret.of("meta-app-secret");
  private static final String NUMBER_ID = "106540352242922";
  private static final String WABA = "102290129340398";
  private static final String SIGNUP_WABA = "103333333333333";
  private static final String SIGNUP_NUMBER = "109999999999999";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger SENT = new AtomicInteger();

  private static StubProvider graph;
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient meta;
  private static HttpTestClient pietKey;
  private static HttpTestClient otherKey;

  @BeforeAll
  static void start(@TempDir Path dir) {
    graph = StubProvider.start(WhatsAppOutreachTest::graphApi);
    LayercakeSettings defaults = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100);
    ChannelSettings channels = defaults.channels();
    node = LayercakeNode.start(defaults
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withChannels(new ChannelSettings(new ChannelSettings.WhatsApp(graph.baseUrl(), "v21.0", APP_SECRET, Secret.of("verify"))
                .withEmbeddedSignup("1234567890", "cfg-42"),
            channels.infobip(), channels.webchat(), Duration.ofSeconds(5))));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    meta = HttpTestClient.to(node.address());
    String all = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    for (String org : List.of("piet", "other")) {
      operator.post("/admin/organizations", "{\"id\":\"" + org + "\",\"name\":\"" + org + "\",\"tier\":\"pro\"}");
      operator.post("/admin/organizations/" + org + "/purchases", "{\"idempotencyKey\":\"cs_" + org + "\",\"credits\":50}");
    }
    pietKey = meta.withBearer(operator.post("/admin/organizations/piet/api-keys", "{\"name\":\"piet\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    otherKey = meta.withBearer(operator.post("/admin/organizations/other/api-keys", "{\"name\":\"other\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    operator.post("/admin/agents", """
        {"agentId": "piet-wa", "orgId": "piet", "name": "Piet's assistant", "doubleTexting": "queue",
         "faq": [{"question": "When are you open?", "answer": "Monday to Friday, 8 to 17."}]}
        """);
    assertThat(operator.post("/admin/agents/piet-wa/channels", "{\"channel\":\"whatsapp\",\"address\":\"" + NUMBER_ID + "\"}")
        .status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    graph.close();
  }

  @Test
  @Order(1)
  void templatesAreSyncedPageByPageFromTheBusinessAccountOnceItIsConnected() {
    Response early = pietKey.post("/api/v1/whatsapp-templates/sync", "");
    assertThat(early.status()).as(early.body()).isEqualTo(409);
    assertThat(early.errorCode()).isEqualTo("whatsapp_not_connected");
    assertThat(pietKey.send("PUT", "/api/v1/channels/whatsapp", "{\"businessAccountId\":\"not-a-number\"}").status()).isEqualTo(400);
    Response connected = pietKey.send("PUT", "/api/v1/channels/whatsapp",
        "{\"accessToken\":\"EAAG-piet\",\"businessAccountId\":\"" + WABA + "\"}");
    assertThat(connected.status()).as(connected.body()).isEqualTo(200);
    assertThat(connected.json().path("businessAccountId").asText()).isEqualTo(WABA);
    assertThat(connected.body()).doesNotContain("EAAG-piet");

    Response synced = pietKey.post("/api/v1/whatsapp-templates/sync", "");
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    JsonNode templates = synced.json().path("templates");
    assertThat(templates.findValuesAsText("name")).containsExactly("appointment_reminder", "service_due", "spring_offer");
    JsonNode due = templates.get(1);
    assertThat(due.path("status").asText()).isEqualTo("approved");
    assertThat(due.path("category").asText()).isEqualTo("utility");
    assertThat(due.path("parameters").toString()).isEqualTo("[\"1\",\"2\"]");
    assertThat(due.path("pricing").asText()).contains("utility");
    assertThat(templates.get(0).path("parameters").toString()).as("named parameters").isEqualTo("[\"first_name\"]");

    List<StubProvider.Request> listed = graph.requestsTo("/v21.0/" + WABA + "/message_templates");
    assertThat(listed).hasSize(2);
    assertThat(listed.get(0).headers().get("Authorization")).isEqualTo("Bearer EAAG-piet");
    assertThat(listed.get(1).path()).contains("after=CURSOR-2");
    assertThat(pietKey.get("/api/v1/whatsapp-templates").json().path("templates")).hasSize(3);
    assertThat(otherKey.get("/api/v1/whatsapp-templates").json().path("templates")).as("another organization's").isEmpty();
    assertThat(otherKey.get("/api/v1/whatsapp-templates?orgId=piet").status()).isEqualTo(404);

    graph.thenRespond(401, "{\"error\":{\"message\":\"Error validating access token\",\"type\":\"OAuthException\",\"code\":190}}");
    Response refused = pietKey.post("/api/v1/whatsapp-templates/sync", "");
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.body()).contains("(#190) Error validating access token");
    assertThat(pietKey.get("/api/v1/whatsapp-templates").json().path("templates")).as("the copy is kept").hasSize(3);
  }

  @Test
  @Order(2)
  void aSignedStatusWebhookPausesATemplateAndAPausedOneCannotStartAConversation() {
    byte[] paused = """
        {"object":"whatsapp_business_account","entry":[{"id":"%s","time":1733480000,"changes":[{"field":"message_template_status_update",
          "value":{"event":"PAUSED","message_template_id":3333,"message_template_name":"spring_offer",
                   "message_template_language":"en_US","reason":"Quality rating low"}}]}]}
        """.formatted(WABA).getBytes(StandardCharsets.UTF_8);
    assertThat(meta.post("/webhooks/whatsapp", paused, Map.of("X-Hub-Signature-256", "sha256=forged")).status()).isEqualTo(401);
    assertThat(meta.post("/webhooks/whatsapp", paused, Map.of("X-Hub-Signature-256", HubSignature.sign(APP_SECRET, paused))).status())
        .isEqualTo(200);
    JsonNode spring = pietKey.get("/api/v1/whatsapp-templates").json().path("templates").get(2);
    assertThat(spring.path("status").asText()).isEqualTo("paused");

    Response refused = pietKey.post("/api/v1/conversations", start("+44 7700 900123", "spring_offer", "en_US", "[\"Ann\"]"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("paused, not approved");
  }

  @Test
  @Order(3)
  void aTemplateStartsAConversationWithANewContactAndTheAgentAnswersTheReply() {
    Response wrongCount = pietKey.post("/api/v1/conversations", start("+49 151 2345678", "service_due", "de", "[\"Jana\"]"));
    assertThat(wrongCount.status()).isEqualTo(400);
    assertThat(wrongCount.body()).contains("takes 2 parameters");
    assertThat(pietKey.post("/api/v1/conversations", start("not a phone", "service_due", "de", "[\"Jana\",\"x\"]")).status())
        .isEqualTo(400);
    assertThat(otherKey.post("/api/v1/conversations", start("+49 151 2345678", "service_due", "de", "[\"Jana\",\"boiler service\"]"))
        .status()).as("another organization's agent").isEqualTo(400);

    HttpTestClient once = pietKey.withHeaders(Map.of("Idempotency-Key", "reach-jana-1"));
    Response started = once.post("/api/v1/conversations", start("+49 151 2345678", "service_due", "de", "[\"Jana\",\"boiler service\"]"));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String sessionId = started.json().path("sessionId").asText();
    assertThat(sessionId).isEqualTo(new SessionKey("piet-wa", "whatsapp", "+491512345678").sessionId());
    assertThat(started.json().path("category").asText()).isEqualTo("utility");
    Response again = once.post("/api/v1/conversations", start("+49 151 2345678", "service_due", "de", "[\"Jana\",\"boiler service\"]"));
    assertThat(again.status()).as("the same key: the same answer, nothing sent twice").isEqualTo(201);
    assertThat(again.json().path("outboundId").asText()).isEqualTo(started.json().path("outboundId").asText());

    StubProvider.Request sent = awaitSends("+491512345678", 1).get(0);
    assertThat(sent.path()).isEqualTo("/v21.0/" + NUMBER_ID + "/messages");
    JsonNode template = sent.json().path("template");
    assertThat(sent.json().path("type").asText()).isEqualTo("template");
    assertThat(template.path("name").asText()).isEqualTo("service_due");
    assertThat(template.path("language").path("code").asText()).isEqualTo("de");
    assertThat(template.path("components").get(0).path("parameters").findValuesAsText("text")).containsExactly("Jana", "boiler service");
    assertThat(template.path("components").get(0).path("parameters").get(0).has("parameter_name")).as("positional").isFalse();

    Response twice = pietKey.post("/api/v1/conversations", start("+49 151 2345678", "service_due", "de", "[\"Jana\",\"boiler service\"]"));
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.errorCode()).isEqualTo("conversation_exists");
    eventually(() -> assertThat(pietKey.get("/api/v1/conversations/" + sessionId).json().path("status").asText()).isEqualTo("active"));

    byte[] reply = """
        {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
          "contacts":[{"profile":{"name":"Jana"},"wa_id":"491512345678"}],
          "messages":[{"from":"491512345678","id":"wamid.JANA-1","timestamp":"%d","type":"text","text":{"body":"When are you open?"}}]}}]}]}
        """.formatted(WABA, NUMBER_ID, Instant.now().getEpochSecond()).getBytes(StandardCharsets.UTF_8);
    assertThat(meta.post("/webhooks/whatsapp", reply, Map.of("X-Hub-Signature-256", HubSignature.sign(APP_SECRET, reply))).status())
        .isEqualTo(200);
    List<StubProvider.Request> both = awaitSends("+491512345678", 2);
    assertThat(both.get(1).json().path("text").path("body").asText()).as("the agent answers in the same conversation")
        .isEqualTo("Monday to Friday, 8 to 17.");
  }

  @Test
  @Order(4)
  void aNamedTemplateSendsItsParametersByName() {
    Response started = pietKey.post("/api/v1/conversations", start("+31 6 11112222", "appointment_reminder", "en_US", "[\"Ann\"]"));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    JsonNode parameter = awaitSends("+31611112222", 1).get(0).json().path("template").path("components").get(0).path("parameters").get(0);
    assertThat(parameter.path("parameter_name").asText()).isEqualTo("first_name");
    assertThat(parameter.path("text").asText()).isEqualTo("Ann");
  }

  @Test
  @Order(5)
  void embeddedSignupExchangesTheCodeSubscribesRegistersAndTheNumberAnswersAtOnce() {
    operator.post("/admin/agents", """
        {"agentId": "other-wa", "orgId": "other", "name": "Other's assistant", "doubleTexting": "queue",
         "faq": [{"question": "Do you deliver?", "answer": "Yes, every weekday."}]}
        """);
    JsonNode config = otherKey.get("/api/v1/channels/whatsapp/embedded-signup").json();
    assertThat(config.path("enabled").asBoolean()).isTrue();
    assertThat(config.path("appId").asText()).isEqualTo("1234567890");
    assertThat(config.path("configId").asText()).isEqualTo("cfg-42");

    String body = "{\"code\":\"%s\",\"businessAccountId\":\"" + SIGNUP_WABA + "\",\"phoneNumberId\":\"" + SIGNUP_NUMBER
        + "\",\"agentId\":\"%s\"}";
    assertThat(otherKey.post("/api/v1/channels/whatsapp/embedded-signup", body.formatted("GOOD", "piet-wa")).status())
        .as("another organization's agent").isEqualTo(404);
    assertThat(otherKey.post("/api/v1/channels/whatsapp/embedded-signup", "{\"code\":\"GOOD\"}").status()).isEqualTo(400);
    Response refused = otherKey.post("/api/v1/channels/whatsapp/embedded-signup", body.formatted("EXPIRED", "other-wa"));
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.body()).contains("exchanging the signup code", "(#100) Invalid verification code format.");
    assertThat(graph.requestsTo("/v21.0/" + SIGNUP_WABA)).as("nothing after a refused exchange").isEmpty();

    Response connected = otherKey.post("/api/v1/channels/whatsapp/embedded-signup", body.formatted("GOOD", "other-wa"));
    assertThat(connected.status()).as(connected.body()).isEqualTo(200);
    assertThat(connected.json().path("pin").asText()).matches("\\d{6}");
    assertThat(connected.body()).doesNotContain("EAAG-signed-up");
    List<StubProvider.Request> calls = graph.requests().stream().filter(request -> request.path().contains("oauth/access_token")
        || request.path().startsWith("/v21.0/" + SIGNUP_WABA) || request.path().startsWith("/v21.0/" + SIGNUP_NUMBER)).toList();
    assertThat(calls).extracting(StubProvider.Request::method).containsExactly("GET", "GET", "POST", "POST");
    assertThat(calls.get(1).path()).contains("client_id=1234567890", "client_secret=meta-app-secret", "code=GOOD");
    assertThat(calls.get(2).path()).isEqualTo("/v21.0/" + SIGNUP_WABA + "/subscribed_apps");
    assertThat(calls.get(2).headers().get("Authorization")).isEqualTo("Bearer EAAG-signed-up");
    assertThat(calls.get(3).path()).isEqualTo("/v21.0/" + SIGNUP_NUMBER + "/register");
    assertThat(calls.get(3).json().path("pin").asText()).isEqualTo(connected.json().path("pin").asText());
    JsonNode channels = otherKey.get("/api/v1/channels").json();
    assertThat(channels.path("whatsapp").path("businessAccountId").asText()).isEqualTo(SIGNUP_WABA);
    assertThat(channels.path("whatsapp").path("accessTokenConfigured").asBoolean()).isTrue();

    byte[] inbound = """
        {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"%s"},
          "contacts":[{"profile":{"name":"Kim"},"wa_id":"447700900555"}],
          "messages":[{"from":"447700900555","id":"wamid.KIM-1","timestamp":"%d","type":"text","text":{"body":"Do you deliver?"}}]}}]}]}
        """.formatted(SIGNUP_WABA, SIGNUP_NUMBER, Instant.now().getEpochSecond()).getBytes(StandardCharsets.UTF_8);
    assertThat(meta.post("/webhooks/whatsapp", inbound, Map.of("X-Hub-Signature-256", HubSignature.sign(APP_SECRET, inbound))).status())
        .isEqualTo(200);
    StubProvider.Request answer = TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      List<StubProvider.Request> sent = graph.requestsTo("/v21.0/" + SIGNUP_NUMBER + "/messages");
      assertThat(sent).hasSize(1);
      return sent.get(0);
    });
    assertThat(answer.headers().get("Authorization")).as("replies go out with the business's own token").isEqualTo("Bearer EAAG-signed-up");
    assertThat(answer.json().path("text").path("body").asText()).isEqualTo("Yes, every weekday.");
  }

  @Test
  @Order(6)
  void aPersonsFreeTextIntoAClosedWindowIsRefusedAtOnceAndATemplateGoes() {
    byte[] old = """
        {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
          "contacts":[{"profile":{"name":"Olli"},"wa_id":"447700900999"}],
          "messages":[{"from":"447700900999","id":"wamid.OLLI-1","timestamp":"%d","type":"text","text":{"body":"When are you open?"}}]}}]}]}
        """.formatted(WABA, NUMBER_ID, Instant.now().minus(Duration.ofDays(16)).getEpochSecond()).getBytes(StandardCharsets.UTF_8);
    assertThat(meta.post("/webhooks/whatsapp", old, Map.of("X-Hub-Signature-256", HubSignature.sign(APP_SECRET, old))).status())
        .isEqualTo(200);
    String sessionId = new SessionKey("piet-wa", "whatsapp", "+447700900999").sessionId();
    String messages = "/api/v1/conversations/" + sessionId + "/messages";
    eventually(() -> assertThat(pietKey.get("/api/v1/conversations/" + sessionId).status()).isEqualTo(200));

    Response text = pietKey.post(messages, "{\"text\":\"Are you still there?\"}");
    assertThat(text.status()).as(text.body()).isEqualTo(409);
    assertThat(text.errorCode()).isEqualTo("window_closed");
    assertThat(text.body()).contains("only an approved template");
    assertThat(pietKey.post(messages, "{\"template\":{\"name\":\"service_due\",\"language\":\"de\",\"parameters\":[\"Olli\"]}}")
        .status()).isEqualTo(400);
    Response template = pietKey.post(messages,
        "{\"template\":{\"name\":\"service_due\",\"language\":\"de\",\"parameters\":[\"Olli\",\"boiler service\"]}}");
    assertThat(template.status()).as(template.body()).isEqualTo(202);
    assertThat(awaitSends("+447700900999", 1).get(0).json().path("template").path("name").asText()).isEqualTo("service_due");
  }

  @Test
  @Order(7)
  void anAgentsSequenceIsKeptStartedInAConversationSentAndStoppedByAPerson() {
    String path = "/api/v1/agents/piet-wa/sequences/quote-chase";
    String sequence = """
        {"steps": [{"delay": "0s", "text": "Any questions about the quote?"},
                   {"delay": "2d", "text": "Shall we book it?", "onlyIfNoReply": true}]}""";
    assertThat(pietKey.send("PUT", path, "{\"steps\": [{\"delay\": \"soon\", \"text\": \"Hi\"}]}").body()).contains("steps[0].delay");
    assertThat(pietKey.send("PUT", path, "{\"trigger\": \"birthday\", \"steps\": [{\"delay\": \"1d\", \"text\": \"Hi\"}]}").status())
        .isEqualTo(400);
    assertThat(pietKey.send("PUT", path, "{\"steps\": []}").status()).isEqualTo(400);
    assertThat(pietKey.send("PUT", "/api/v1/agents/piet-wa/sequences/Not%20A%20Name", sequence).status()).isEqualTo(400);
    assertThat(otherKey.send("PUT", path, sequence).status()).as("another organization's agent").isEqualTo(404);
    Response saved = pietKey.send("PUT", path, sequence);
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    assertThat(saved.json().path("trigger").asText()).isEqualTo("manual");
    assertThat(saved.json().path("stopOnReply").asBoolean()).isTrue();
    assertThat(pietKey.get("/api/v1/agents/piet-wa/sequences").json().path("sequences").findValuesAsText("name"))
        .containsExactly("quote-chase");
    assertThat(otherKey.get("/api/v1/agents/piet-wa/sequences").status()).isEqualTo(404);

    String sessionId = new SessionKey("piet-wa", "whatsapp", "+491512345678").sessionId();
    String run = "/api/v1/conversations/" + sessionId + "/sequences";
    assertThat(otherKey.post(run, "{\"name\":\"quote-chase\"}").status()).as("another organization's conversation").isEqualTo(404);
    assertThat(pietKey.post(run, "{\"name\":\"nurture\"}").status()).isEqualTo(404);
    assertThat(pietKey.post(run, "{}").status()).isEqualTo(400);
    HttpTestClient once = pietKey.withHeaders(Map.of("Idempotency-Key", "start-quote-chase-1"));
    Response started = once.post(run, "{\"name\":\"quote-chase\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    Response repeated = once.post(run, "{\"name\":\"quote-chase\"}");
    assertThat(repeated.status()).as("the same key: the first answer").isEqualTo(202);
    assertThat(repeated.headers().get("idempotent-replayed")).containsExactly("true");
    assertThat(pietKey.post(run, "{\"name\":\"quote-chase\"}").status()).as("under way").isEqualTo(409);
    List<StubProvider.Request> sent = awaitSends("+491512345678", 3);
    assertThat(sent.get(2).json().path("text").path("body").asText()).isEqualTo("Any questions about the quote?");

    assertThat(otherKey.send("DELETE", run + "/quote-chase", "").status()).isEqualTo(404);
    Response stopped = pietKey.send("DELETE", run + "/quote-chase", "");
    assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    assertThat(pietKey.send("DELETE", run + "/quote-chase", "").status()).as("no longer under way").isEqualTo(404);
    eventually(() -> assertThat(pietKey.get("/api/v1/conversations/" + sessionId + "/timeline").body())
        .contains("Sequence quote-chase started by", "Sequence quote-chase ended: stopped by"));
    assertThat(pietKey.send("DELETE", path, "").status()).isEqualTo(204);
    assertThat(pietKey.send("DELETE", path, "").status()).isEqualTo(404);
  }

  @Test
  @Order(8)
  void aConversationClosedAsASuccessSendsTheReviewRequestWhoseTrackedLinkCountsPerClient() {
    String settings = "{\"timeZone\":\"UTC\",\"review\":{\"link\":\"%s\",\"delay\":\"0s\",\"periodDays\":90,"
        + "\"text\":\"Thanks, Jana! Would you rate us? {link}\"}}";
    for (String bad : List.of("http://g.page/r/piet", "https://localhost/review", "https://10.0.0.7/review", "https://[::1]/r",
        "https://intranet/review")) {
      Response refused = pietKey.send("PUT", "/api/v1/outreach-settings", settings.formatted(bad));
      assertThat(refused.status()).as(bad).isEqualTo(400);
    }
    Response set = pietKey.send("PUT", "/api/v1/outreach-settings", settings.formatted("https://g.page/r/piet-installateur/review"));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().path("review").path("periodDays").asInt()).isEqualTo(90);
    assertThat(otherKey.get("/api/v1/outreach-settings").json().path("review").isNull()).as("another organization's").isTrue();

    String sessionId = new SessionKey("piet-wa", "whatsapp", "+491512345678").sessionId();
    assertThat(pietKey.send("PATCH", "/api/v1/conversations/" + sessionId, "{\"action\":\"close\",\"outcome\":\"great\"}").status())
        .isEqualTo(400);
    Response closed = pietKey.send("PATCH", "/api/v1/conversations/" + sessionId, "{\"action\":\"close\",\"outcome\":\"success\"}");
    assertThat(closed.status()).as(closed.body()).isEqualTo(200);
    String text = awaitSends("+491512345678", 4).get(3).json().path("text").path("body").asText();
    assertThat(text).startsWith("Thanks, Jana! Would you rate us? http");
    String link = text.substring(text.indexOf("http"));
    String token = link.substring(link.lastIndexOf("/r/") + 3);

    assertThat(pietKey.get("/api/v1/review-requests/rates").json().path("organizations").get(0).path("clicked").asInt()).isZero();
    Response followed = meta.get("/r/" + token);
    assertThat(followed.status()).isEqualTo(302);
    assertThat(followed.header("Location")).contains("https://g.page/r/piet-installateur/review");
    assertThat(meta.get("/r/" + "x".repeat(22)).status()).isEqualTo(404);
    JsonNode rates = pietKey.get("/api/v1/review-requests/rates?days=7").json();
    assertThat(rates.path("organizations").get(0).path("orgId").asText()).isEqualTo("piet");
    assertThat(rates.path("organizations").get(0).path("sent").asInt()).isEqualTo(1);
    assertThat(rates.path("organizations").get(0).path("clicked").asInt()).isEqualTo(1);
    assertThat(otherKey.get("/api/v1/review-requests/rates").json().path("organizations")).as("another organization's").isEmpty();
    assertThat(pietKey.get("/api/v1/review-requests/rates?days=0").status()).isEqualTo(400);
  }

  private static String start(String contact, String name, String language, String parameters) {
    return "{\"agentId\":\"piet-wa\",\"contact\":\"" + contact + "\",\"template\":{\"name\":\"" + name + "\",\"language\":\"" + language
        + "\",\"parameters\":" + parameters + "}}";
  }

  private static List<StubProvider.Request> awaitSends(String to, int count) {
    return TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      List<StubProvider.Request> sent = graph.requestsTo("/v21.0/" + NUMBER_ID + "/messages").stream()
          .filter(request -> to.equals(request.json().path("to").asText())).toList();
      assertThat(sent).hasSize(count);
      return sent;
    });
  }

  private static void eventually(Runnable assertion) {
    TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }

  /** Meta's Graph API as far as these tests reach it: two pages of templates, and message sends. */
  private static StubProvider.Response graphApi(StubProvider.Request request) {
    if (request.path().startsWith("/v21.0/oauth/access_token")) {
      return request.path().contains("code=GOOD")
          ? StubProvider.Response.json(200, "{\"access_token\":\"EAAG-signed-up\",\"token_type\":\"bearer\"}")
          : StubProvider.Response.json(400, "{\"error\":{\"message\":\"Invalid verification code format.\",\"type\":\"OAuthException\","
              + "\"code\":100}}");
    }
    if (request.method().equals("POST") && (request.path().endsWith("/subscribed_apps") || request.path().endsWith("/register"))) {
      return StubProvider.Response.json(200, "{\"success\":true}");
    }
    if (request.method().equals("GET") && request.path().startsWith("/v21.0/" + WABA + "/message_templates")) {
      if (!request.path().contains("after=")) {
        return StubProvider.Response.json(200, """
            {"data":[
              {"name":"appointment_reminder","parameter_format":"NAMED","components":[{"type":"BODY",
                "text":"Hi {{first_name}}, see you tomorrow!","example":{"body_text_named_params":[{"param_name":"first_name","example":"Ann"}]}}],
               "language":"en_US","status":"APPROVED","category":"UTILITY","id":"1111"},
              {"name":"service_due","parameter_format":"POSITIONAL","components":[{"type":"HEADER","format":"TEXT","text":"Service"},
                {"type":"BODY","text":"Hallo {{1}}, Ihr {{2}} ist fällig."},{"type":"FOOTER","text":"Piet"}],
               "language":"de","status":"APPROVED","category":"UTILITY","id":"2222"}],
             "paging":{"cursors":{"before":"CURSOR-1","after":"CURSOR-2"},
               "next":"https://graph.facebook.com/v21.0/%s/message_templates?after=CURSOR-2"}}
            """.formatted(WABA));
      }
      return StubProvider.Response.json(200, """
          {"data":[{"name":"spring_offer","components":[{"type":"BODY","text":"Hi {{1}}, ten percent off this spring."}],
             "language":"en_US","status":"APPROVED","category":"MARKETING","id":"3333"}],
           "paging":{"cursors":{"before":"CURSOR-2","after":"CURSOR-3"}}}
          """);
    }
    return StubProvider.Response.json(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
        + "\"messages\":[{\"id\":\"wamid.OUT" + SENT.incrementAndGet() + "\"}]}");
  }
}
