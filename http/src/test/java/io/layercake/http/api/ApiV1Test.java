package io.layercake.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.session.SessionKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API on a real node (H2): keys and scopes, tenant isolation (an agency sees itself and
 * its clients, a client not its sibling, nobody another agency), conversations, people taking
 * over, ETags, sub-organizations and credits.
 */
class ApiV1Test {
  private static final String TOKEN = "operator-token-for-tests";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String ALL = "[\"conversations:read\",\"conversations:write\",\"organizations:read\",\"organizations:write\","
      + "\"credits:read\",\"approvals:write\",\"keys:write\",\"agents:read\",\"agents:write\",\"knowledge:read\",\"knowledge:write\"]";

  private static LayercakeNode node;
  private static DatabaseSettings database;
  private static HttpTestClient operator;
  private static HttpTestClient agencyA;
  private static HttpTestClient agencyB;
  private static HttpTestClient clientA1;
  private static String sessionA1;
  private static String sessionA2;
  private static String sessionB;

  @BeforeAll
  static void start(@TempDir Path dir) {
    database = DatabaseSettings.h2File(dir, 4);
    node = LayercakeNode.start(TestNodes.settings(dir, database, 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN))));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    for (String agency : List.of("agency-a", "agency-b")) {
      operator.post("/admin/organizations", "{\"id\":\"" + agency + "\",\"name\":\"" + agency + "\",\"tier\":\"agency\"}");
      operator.post("/admin/organizations/" + agency + "/purchases", "{\"idempotencyKey\":\"cs_" + agency + "\",\"credits\":100}");
    }
    agencyA = keyFor("agency-a", ALL);
    agencyB = keyFor("agency-b", ALL);
    assertThat(agencyA.post("/api/v1/organizations/children", "{\"id\":\"client-a1\",\"name\":\"Plumber One\"}").status()).isEqualTo(201);
    assertThat(agencyA.post("/api/v1/organizations/children", "{\"id\":\"client-a2\",\"name\":\"Plumber Two\"}").status()).isEqualTo(201);
    assertThat(agencyB.post("/api/v1/organizations/children", "{\"id\":\"client-b1\",\"name\":\"Salon\"}").status()).isEqualTo(201);
    clientA1 = keyFor("client-a1", ALL);
    sessionA1 = conversation("client-a1", "visitor-1");
    sessionA2 = conversation("client-a2", "visitor-2");
    sessionB = conversation("client-b1", "visitor-3");
    eventually(() -> assertThat(agencyA.get("/api/v1/conversations").json().path("conversations")).hasSize(2));
    // agency-b's conversation is listed too, so the checks that agency-a cannot see it mean something
    eventually(() -> assertThat(agencyB.get("/api/v1/conversations").json().path("conversations")).hasSize(1));
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void keysAndScopesGuardEveryCall() {
    HttpTestClient readOnly = keyFor("agency-a", "[\"conversations:read\"]");
    HttpTestClient nobody = HttpTestClient.to(node.address()).withBearer("lc_made_up");

    assertThat(HttpTestClient.to(node.address()).get("/api/v1/conversations").status()).isEqualTo(401);
    assertThat(nobody.get("/api/v1/conversations").status()).isEqualTo(401);
    assertThat(readOnly.get("/api/v1/conversations").status()).isEqualTo(200);
    Response forbidden = readOnly.post("/api/v1/conversations/" + sessionA1 + "/messages", "{\"text\":\"hi\"}");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().path("error").path("message").asText()).contains("conversations:write");
    assertThat(readOnly.get("/api/v1/credits").status()).isEqualTo(403);

    Response escalation = readOnly.post("/api/v1/api-keys", "{\"name\":\"more\",\"scopes\":[\"credits:read\"]}");
    assertThat(escalation.status()).isEqualTo(403);
    Response created = agencyA.post("/api/v1/api-keys", "{\"name\":\"dashboard\",\"scopes\":[\"credits:read\"]}");
    assertThat(created.status()).isEqualTo(201);
    HttpTestClient dashboard = HttpTestClient.to(node.address()).withBearer(created.json().path("key").asText());
    assertThat(dashboard.get("/api/v1/credits").status()).isEqualTo(200);
    assertThat(agencyA.get("/api/v1/api-keys").body()).doesNotContain(created.json().path("key").asText());
    assertThat(agencyA.send("DELETE", "/api/v1/api-keys/" + created.json().path("apiKey").path("keyId").asText(), "").status())
        .isEqualTo(200);
    assertThat(dashboard.get("/api/v1/credits").status()).isEqualTo(401);
  }

  @Test
  void aClientReadsTypedSmsNumbersInItsOwnDefaultCountry() {
    String bind = "/api/v1/agents/client-a1-bot/channels";
    Response national = clientA1.post(bind, "{\"channel\":\"sms\",\"address\":\"06 1234 5670\"}");
    assertThat(national.status()).isEqualTo(400);
    assertThat(national.json().path("error").path("code").asText()).isEqualTo("invalid_phone_number");

    assertThat(clientA1.send("PUT", "/api/v1/channels/default-country", "{\"country\":\"NL\"}").status()).isEqualTo(200);
    Response bound = clientA1.post(bind, "{\"channel\":\"sms\",\"address\":\"06 1234 5670\"}");

    assertThat(bound.status()).as(bound.body()).isEqualTo(201);
    assertThat(bound.json().path("address").asText()).isEqualTo("+31612345670");
    assertThat(clientA1.get("/api/v1/channels").json().path("defaultCountry").asText()).isEqualTo("NL");
    assertThat(agencyA.get("/api/v1/channels").json().path("defaultCountry").isNull()).as("the agency's own is unchanged").isTrue();
  }

  @Test
  void noTenantSeesAnotherTenantsData() {
    for (String path : List.of("/api/v1/conversations/" + sessionB, "/api/v1/conversations/" + sessionB + "/messages",
        "/api/v1/conversations/" + sessionB + "/timeline",
        "/api/v1/organizations/children/client-b1")) {
      assertThat(agencyA.get(path).status()).as(path).isEqualTo(404);
    }
    assertThat(agencyA.post("/api/v1/conversations/" + sessionB + "/messages", "{\"text\":\"hijack\"}").status()).isEqualTo(404);
    assertThat(agencyA.send("PATCH", "/api/v1/conversations/" + sessionB, "{\"action\":\"close\"}").status()).isEqualTo(404);
    assertThat(agencyA.send("PATCH", "/api/v1/organizations/children/client-b1", "{\"name\":\"Mine\"}").status()).isEqualTo(404);
    assertThat(agencyA.post("/api/v1/approvals/" + sessionB + ":1:approval-1/approve", "{}").status()).isEqualTo(404);
    assertThat(agencyA.get("/api/v1/conversations?orgId=client-b1").json().path("conversations")).isEmpty();
    assertThat(agencyA.get("/api/v1/conversations").body()).doesNotContain(sessionB);

    assertThat(agencyA.get("/api/v1/agents/client-b1-bot").status()).isEqualTo(404);
    assertThat(agencyA.send("PUT", "/api/v1/agents/client-b1-bot", "{\"name\":\"stolen\"}").status()).isEqualTo(404);
    assertThat(agencyA.get("/api/v1/agents/client-a1-bot").status()).as("the parent sees its client's agent").isEqualTo(200);
    assertThat(agencyA.get("/api/v1/agents?orgId=client-b1").status()).isEqualTo(404);
    Response document = agencyA.post("/api/v1/knowledge/documents", "{\"title\":\"Prices\",\"tags\":[\"plumbing\"],\"text\":\"Call-out EUR 65.\"}");
    assertThat(document.status()).as(document.body()).isEqualTo(201);
    String documentId = document.json().path("id").asText();
    assertThat(agencyA.get("/api/v1/knowledge/documents/" + documentId).status()).isEqualTo(200);
    assertThat(agencyB.get("/api/v1/knowledge/documents/" + documentId).status()).isEqualTo(404);
    assertThat(agencyB.send("DELETE", "/api/v1/knowledge/documents/" + documentId, "").status()).isEqualTo(404);
    assertThat(agencyA.get("/api/v1/conversations/" + sessionA2).status()).as("the parent sees its client").isEqualTo(200);
    assertThat(agencyA.get("/api/v1/conversations/" + sessionA2 + "/timeline").json().path("steps").path(0).path("type").asText())
        .isEqualTo("ConversationStarted");
    assertThat(clientA1.get("/api/v1/conversations/" + sessionA2).status()).as("a client does not see its sibling").isEqualTo(404);
    assertThat(clientA1.get("/api/v1/conversations").json().path("conversations")).extracting(c -> c.path("sessionId").asText())
        .containsExactly(sessionA1);
  }

  @Test
  void aPersonTakesOverThroughTheApiAndTheAgentStaysSilentUntilHandBack() {
    eventually(() -> assertThat(agencyA.get("/api/v1/conversations/" + sessionA1 + "/messages").json().path("messages")).hasSize(2));
    Response sent = agencyA.post("/api/v1/conversations/" + sessionA1 + "/messages", "{\"text\":\"Hi, Maria here.\",\"author\":\"maria\"}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    inbound("client-a1", "visitor-1", "m-2", "Thanks Maria");

    eventually(() -> {
      JsonNode messages = agencyA.get("/api/v1/conversations/" + sessionA1 + "/messages").json().path("messages");
      assertThat(messages.findValuesAsText("text")).endsWith("Hi, Maria here.", "Thanks Maria");
      assertThat(messages.path(2).path("deliveryStatus").asText()).isEqualTo("sent");
    });
    JsonNode detail = agencyA.get("/api/v1/conversations/" + sessionA1).json();
    assertThat(detail.path("owner").asText()).isEqualTo("maria");
    assertThat(detail.path("status").asText()).isEqualTo("handed_off");

    assertThat(agencyA.send("PATCH", "/api/v1/conversations/" + sessionA1, "{\"action\":\"hand_back\"}").status()).isEqualTo(200);
    inbound("client-a1", "visitor-1", "m-3", "When are you open?");
    eventually(() -> assertThat(agencyA.get("/api/v1/conversations/" + sessionA1 + "/messages").json().path("messages")
        .findValuesAsText("kind")).last().isEqualTo("agent_reply"));
  }

  @Test
  void theLatestMessagesComeFirstAndOlderOnesPageBack() {
    operator.post("/admin/organizations", "{\"id\":\"chatty\",\"name\":\"Chatty\",\"tier\":\"pro\"}");
    operator.post("/admin/organizations/chatty/purchases", "{\"idempotencyKey\":\"cs_chatty\",\"credits\":100}");
    HttpTestClient chatty = keyFor("chatty", ALL);
    String session = conversation("chatty", "long-talker");
    eventually(() -> assertThat(chatty.get("/api/v1/conversations/" + session + "/messages").json().path("messages")).hasSize(2));
    // Handed off, the agent stays silent: each inbound message is one message, written fast.
    assertThat(chatty.send("PATCH", "/api/v1/conversations/" + session, "{\"action\":\"hand_off\"}").status()).isEqualTo(200);
    for (int i = 1; i <= 110; i++) {
      inbound("chatty", "long-talker", "long-" + i, "message " + i);
    }
    String messages = "/api/v1/conversations/" + session + "/messages";

    eventually(() -> {
      JsonNode latest = chatty.get(messages + "?limit=100").json();
      assertThat(latest.path("messages")).hasSize(100);
      assertThat(latest.path("messages").path(99).path("text").asText()).isEqualTo("message 110");
      assertThat(latest.path("hasMore").asBoolean()).isTrue();
    });
    List<String> all = new java.util.ArrayList<>();
    JsonNode page = chatty.get(messages + "?limit=50").json();
    int pages = 1;
    while (true) {
      List<String> texts = page.path("messages").findValuesAsText("text");
      all.addAll(0, texts);
      if (!page.path("hasMore").asBoolean()) {
        assertThat(page.path("nextBefore").isNull()).isTrue();
        break;
      }
      page = chatty.get(messages + "?limit=50&before=" + page.path("nextBefore").asLong()).json();
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(all).hasSize(112).doesNotHaveDuplicates();
    assertThat(all.get(0)).isEqualTo("Hello there");
    assertThat(all.subList(2, 112)).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 110).mapToObj(i -> "message " + i).toList());

    JsonNode oldest = chatty.get(messages + "?after=0&limit=10").json();
    assertThat(oldest.path("messages").path(0).path("text").asText()).isEqualTo("Hello there");
    assertThat(oldest.path("nextAfter").asLong()).isPositive();
    assertThat(chatty.get(messages + "?after=1&before=9").status()).isEqualTo(400);
    assertThat(chatty.get(messages + "?before=-3").status()).isEqualTo(400);
  }

  @Test
  void aCreatedSubOrganizationReadsBackAtOnce() {
    // Each round reads right after the write, without waiting: the read model alone lags about a second.
    for (int round = 1; round <= 3; round++) {
      String id = "client-raw-" + round;
      Response created = agencyB.post("/api/v1/organizations/children", "{\"id\":\"" + id + "\",\"name\":\"Shop " + round + "\"}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);

      Response read = agencyB.get("/api/v1/organizations/children/" + id);
      assertThat(read.status()).as("round " + round + ": " + read.body()).isEqualTo(200);
      assertThat(read.json().path("name").asText()).isEqualTo("Shop " + round);
      assertThat(agencyB.get("/api/v1/organizations/children").json().path("organizations").findValuesAsText("id")).contains(id);
    }
  }

  @Test
  void aRenamedSubOrganizationReadsBackAtOnce() {
    for (int round = 1; round <= 3; round++) {
      Response renamed = agencyB.send("PATCH", "/api/v1/organizations/children/client-b1", "{\"name\":\"Salon " + round + "\"}");
      assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
      assertThat(renamed.json().path("name").asText()).as("round " + round).isEqualTo("Salon " + round);
      assertThat(agencyB.get("/api/v1/organizations/children/client-b1").json().path("name").asText()).as("round " + round)
          .isEqualTo("Salon " + round);
    }
  }

  @Test
  void aPersonsMessageIsListedRightAfterItWasAccepted() {
    operator.post("/admin/organizations", "{\"id\":\"prompt\",\"name\":\"Prompt\",\"tier\":\"pro\"}");
    operator.post("/admin/organizations/prompt/purchases", "{\"idempotencyKey\":\"cs_prompt\",\"credits\":100}");
    HttpTestClient prompt = keyFor("prompt", ALL);
    String session = conversation("prompt", "waiting-customer");
    String messages = "/api/v1/conversations/" + session + "/messages";
    eventually(() -> assertThat(prompt.get(messages).json().path("messages")).hasSize(2));

    for (int round = 1; round <= 5; round++) {
      Response sent = prompt.post(messages, "{\"text\":\"Person message " + round + "\",\"author\":\"maria\"}");
      assertThat(sent.status()).as(sent.body()).isEqualTo(202);

      assertThat(prompt.get(messages).json().path("messages").findValuesAsText("text")).as("round " + round)
          .endsWith("Person message " + round);
    }
  }

  @Test
  void anUnchangedConversationAnswers304() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + node.address().getPort() + "/api/v1/conversations/" + sessionA2);
    String key = keyOf(agencyA);
    AtomicReference<String> etagSeen = new AtomicReference<>();
    // The first turn may still be settling into the conversation's row: repeat until two reads agree.
    eventually(() -> {
      try {
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        etagSeen.set(first.headers().firstValue("ETag").orElseThrow());
        HttpResponse<String> unchanged = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
            .header("If-None-Match", etagSeen.get()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
      } catch (java.io.IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    String etag = etagSeen.get();

    inbound("client-a2", "visitor-2", "m-9", "one more thing");
    eventually(() -> {
      try {
        HttpResponse<String> changed = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
            .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).isEqualTo(200);
      } catch (java.io.IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void subOrganizationsComeWithTheirNumbersAndCreditsAreReported() {
    eventually(() -> {
      JsonNode children = agencyA.get("/api/v1/organizations/children").json().path("organizations");
      assertThat(children.findValuesAsText("id")).containsExactlyInAnyOrder("client-a1", "client-a2");
      assertThat(children.findValues("conversations")).allSatisfy(count -> assertThat(count.asLong()).isEqualTo(1));
    });
    assertThat(agencyA.send("PATCH", "/api/v1/organizations/children/client-a1", "{\"name\":\"Plumber Uno\"}").json()
        .path("id").asText()).isEqualTo("client-a1");
    eventually(() -> assertThat(agencyA.get("/api/v1/organizations/children/client-a1").json().path("name").asText())
        .isEqualTo("Plumber Uno"));
    assertThat(clientA1.post("/api/v1/organizations/children", "{\"name\":\"grandchild\"}").status()).isEqualTo(403);

    eventually(() -> {
      JsonNode byAgent = agencyA.get("/api/v1/credits/usage?groupBy=agent").json();
      assertThat(byAgent.path("usage").findValuesAsText("agentId")).contains("client-a1-bot", "client-a2-bot");
      assertThat(byAgent.path("usage").path(0).path("items").path("ai_reply").asLong())
          .as("what the credits bought, per agent").isPositive();
      assertThat(agencyA.get("/api/v1/credits/usage?groupBy=sub_org").json().path("usage").findValuesAsText("orgId"))
          .contains("client-a1", "client-a2");
      assertThat(agencyA.get("/api/v1/credits/usage?groupBy=day").json().path("usage").path(0).path("credits").asLong())
          .isGreaterThanOrEqualTo(2);
    });
    JsonNode balance = agencyA.get("/api/v1/credits").json();
    assertThat(balance.path("buckets").path("purchased").asLong()).isLessThan(100);
    assertThat(agencyA.get("/api/v1/credits/transactions?limit=5").json().path("transactions")).isNotEmpty();
    assertThat(agencyA.get("/api/v1/credits/usage?groupBy=week").status()).isEqualTo(400);
    assertThat(agencyA.get("/api/v1/conversations?status=sleeping").status()).isEqualTo(400);
    assertThat(agencyA.get("/api/v1/approvals").json().path("approvals")).isEmpty();
  }

  @Test
  void theTeamAssignsWritesNotesAndKeepsRepliesReadyAndNeitherTheCustomerNorAnotherTenantSeesThem() {
    Sql.update(database, "INSERT INTO users (user_id, email, name, created_at) VALUES ('u_tom', 'tom@agency-a.test', 'Tom Teammate',"
        + " CURRENT_TIMESTAMP)");
    Sql.update(database, "INSERT INTO memberships (user_id, org_id, role, created_at, created_by) VALUES ('u_tom', 'agency-a', 'member',"
        + " CURRENT_TIMESTAMP, 'test')");
    String assignee = "/api/v1/conversations/" + sessionA1 + "/assignee";

    Response assigned = agencyA.send("PUT", assignee, "{\"userId\":\"u_tom\"}");
    assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
    assertThat(assigned.json().path("name").asText()).as("an agency member works its clients' conversations").isEqualTo("Tom Teammate");
    assertThat(agencyA.send("PUT", assignee, "{\"userId\":\"u_nobody\"}").status()).isEqualTo(400);
    assertThat(agencyB.send("PUT", assignee, "{\"userId\":\"u_tom\"}").status()).isEqualTo(404);
    assertThat(agencyB.send("PUT", "/api/v1/conversations/" + sessionB + "/assignee", "{\"userId\":\"u_tom\"}").status())
        .as("not on agency-b's team").isEqualTo(400);
    assertThat(agencyA.get("/api/v1/conversations?assignee=u_tom").json().path("conversations").findValuesAsText("sessionId"))
        .containsExactly(sessionA1);
    assertThat(agencyA.get("/api/v1/conversations?assignee=none").json().path("conversations").findValuesAsText("sessionId"))
        .doesNotContain(sessionA1).contains(sessionA2);

    String notes = "/api/v1/conversations/" + sessionA1 + "/notes";
    Map<String, String> once = Map.of("Idempotency-Key", "note-" + sessionA1, "Content-Type", "application/json");
    byte[] note = "{\"text\":\"She prefers mornings.\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Response first = agencyA.post(notes, note, once);
    Response again = agencyA.post(notes, note, once);
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(again.json().path("noteId").asText()).as("the same key adds one note").isEqualTo(first.json().path("noteId").asText());
    assertThat(agencyA.get(notes).json().path("notes").findValuesAsText("text")).containsExactly("She prefers mornings.");
    assertThat(agencyA.get("/api/v1/conversations/" + sessionA1 + "/messages").body()).doesNotContain("She prefers mornings.");
    assertThat(agencyB.get(notes).status()).isEqualTo(404);
    assertThat(agencyB.post(notes, "{\"text\":\"hijack\"}").status()).isEqualTo(404);
    assertThat(agencyA.post(notes, "{\"text\":\"  \"}").status()).isEqualTo(400);

    Response reply = agencyA.post("/api/v1/canned-replies", "{\"title\":\"Hours\",\"text\":\"We are open nine to five.\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    String replyId = reply.json().path("replyId").asText();
    assertThat(clientA1.get("/api/v1/canned-replies").json().path("cannedReplies").findValuesAsText("replyId"))
        .as("an agency's replies serve its clients").contains(replyId);
    assertThat(agencyB.get("/api/v1/canned-replies").body()).doesNotContain(replyId);
    assertThat(agencyB.send("DELETE", "/api/v1/canned-replies/" + replyId, "").status()).isEqualTo(404);
    assertThat(agencyA.send("DELETE", "/api/v1/canned-replies/" + replyId, "").status()).isEqualTo(200);
    assertThat(agencyA.get("/api/v1/canned-replies").body()).doesNotContain(replyId);
  }

  @Test
  void aBookingRequestIsAcceptedOnceAndNeitherDeclinedAfterNorDecidedByAnotherTenant() {
    Sql.update(database, "INSERT INTO booking_requests (org_id, agent_id, session_id, requested_time, service, created_at, persistence_id,"
        + " sequence_number) VALUES ('client-a1', 'client-a1-bot', ?, 'Thursday 10:00', 'boiler service', CURRENT_TIMESTAMP,"
        + " 'Session|booking-test', 1)", sessionA1);
    long id = agencyA.get("/api/v1/booking-requests").json().path("bookingRequests").path(0).path("id").asLong();
    assertThat(agencyA.get("/api/v1/booking-requests").json().path("bookingRequests").path(0).path("status").asText())
        .isEqualTo("requested");

    assertThat(agencyB.post("/api/v1/booking-requests/" + id + "/accept", "{}").status()).isEqualTo(404);
    Response accepted = agencyA.post("/api/v1/booking-requests/" + id + "/accept", "{}");
    Response again = agencyA.post("/api/v1/booking-requests/" + id + "/accept", "{}");
    Response declined = clientA1.post("/api/v1/booking-requests/" + id + "/decline", "{}");

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    assertThat(accepted.json().path("status").asText()).isEqualTo("accepted");
    assertThat(again.json().path("decidedAt").asText()).as("the first answer stands").isEqualTo(accepted.json().path("decidedAt").asText());
    assertThat(declined.status()).isEqualTo(409);
    assertThat(declined.json().path("error").path("code").asText()).isEqualTo("already_decided");
    assertThat(clientA1.get("/api/v1/booking-requests").json().path("bookingRequests").path(0).path("status").asText())
        .isEqualTo("accepted");
    assertThat(agencyA.post("/api/v1/booking-requests/999999/accept", "{}").status()).isEqualTo(404);
    assertThat(agencyA.post("/api/v1/booking-requests/not-a-number/accept", "{}").status()).isEqualTo(404);
  }

  @Test
  void aClientsAgentIsImportedFromABundleOnceAndABadBundleIsRefusedBeforeAnythingIsCreated() {
    String bundle = "{\"bundleId\":\"salon-v1\",\"agent\":{\"agentId\":\"client-a2-salon\",\"name\":\"Salon bot\"},"
        + "\"documents\":[{\"title\":\"Prices\",\"markdown\":\"A cut is EUR 30.\"}]}";
    Response first = agencyA.post("/api/v1/agents/imports?orgId=client-a2", bundle);
    Response again = agencyA.post("/api/v1/agents/imports?orgId=client-a2", bundle);

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(again.status()).as("the same bundle again changes nothing").isEqualTo(200);
    assertThat(agencyA.get("/api/v1/agents/client-a2-salon").json().path("config").path("orgId").asText()).isEqualTo("client-a2");
    assertThat(agencyA.post("/api/v1/agents/imports?orgId=client-a2", "{\"bundleId\":\"x\"}").status()).isEqualTo(400);
    assertThat(agencyB.post("/api/v1/agents/imports?orgId=client-a2", bundle).status()).as("not agency-b's client").isEqualTo(404);
    assertThat(agencyB.get("/api/v1/agents/client-a2-salon").status()).isEqualTo(404);
  }

  @Test
  void searchFindsAConversationByItsContactOrByAnythingSaidInIt() {
    inbound("client-a2", "visitor-2", "m-search", "My boiler is leaking_100%");
    eventually(() -> assertThat(agencyA.get("/api/v1/conversations?q=BOILER").json().path("conversations").findValuesAsText("sessionId"))
        .containsExactly(sessionA2));
    assertThat(agencyA.get("/api/v1/conversations?q=visitor-1").json().path("conversations").findValuesAsText("sessionId"))
        .containsExactly(sessionA1);
    assertThat(agencyA.get("/api/v1/conversations?q=_100%25").json().path("conversations").findValuesAsText("sessionId"))
        .as("% and _ are searched for, not wildcards").containsExactly(sessionA2);
    assertThat(agencyA.get("/api/v1/conversations?q=leakin__100").json().path("conversations")).isEmpty();
    assertThat(agencyB.get("/api/v1/conversations?q=boiler").json().path("conversations")).isEmpty();
  }

  // ---- helpers ----

  @Test
  void webhookTargetsInsideOurNetworkOrOverPlainHttpAreRefusedAtRegistration() {
    HttpTestClient hooks = keyFor("agency-b", "[\"webhooks:write\"]");
    java.util.Map<String, String> refused = java.util.Map.of(
        "https://127.0.0.1:8080/hooks", "loopback",
        "https://localhost/hooks", "loopback",
        "https://169.254.169.254/latest/meta-data/", "cloud metadata",
        "https://[fd00:ec2::254]/", "cloud metadata",
        "https://10.0.0.1/hooks", "private",
        "https://192.168.0.10/hooks", "private",
        "https://[fc00::1]/hooks", "private",
        "https://[::ffff:127.0.0.1]/hooks", "loopback",
        "https://224.0.0.1/hooks", "multicast",
        "https://0.0.0.0/hooks", "unspecified");

    refused.forEach((url, kind) -> {
      Response answer = hooks.post("/api/v1/webhooks", "{\"url\":\"" + url + "\"}");
      assertThat(answer.status()).as(url + ": " + answer.body()).isEqualTo(400);
      assertThat(answer.errorCode()).isEqualTo("target_not_allowed");
      assertThat(answer.json().path("error").path("message").asText()).as(url).contains("a " + kind + " address");
    });
    Response plainHttp = hooks.post("/api/v1/webhooks", "{\"url\":\"http://hooks.agency.example/in\"}");
    assertThat(plainHttp.status()).isEqualTo(400);
    assertThat(plainHttp.json().path("error").path("message").asText()).isEqualTo("url must be an https:// URL");
    assertThat(hooks.get("/api/v1/webhooks").json().path("webhooks")).isEmpty();
  }

  private static HttpTestClient keyFor(String orgId, String scopes) {
    Response created = operator.post("/admin/organizations/" + orgId + "/api-keys", "{\"name\":\"test\",\"scopes\":" + scopes + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String key = created.json().path("key").asText();
    HttpTestClient client = HttpTestClient.to(node.address()).withBearer(key);
    KEYS.put(client, key);
    return client;
  }

  private static final Map<HttpTestClient, String> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

  private static String keyOf(HttpTestClient client) {
    return KEYS.get(client);
  }

  private static String conversation(String orgId, String contact) {
    operator.post("/admin/agents", """
        {"agentId": "%1$s-bot", "orgId": "%1$s", "name": "%1$s bot", "doubleTexting": "queue",
         "faq": [{"question": "When are you open?", "answer": "Nine to five."}]}
        """.formatted(orgId));
    inbound(orgId, contact, "m-1", "Hello there");
    return new SessionKey(orgId + "-bot", "test", contact).sessionId();
  }

  private static void inbound(String orgId, String contact, String messageId, String text) {
    Response accepted = operator.post("/admin/conversations/inbound", "{\"orgId\":\"" + orgId + "\",\"agentId\":\"" + orgId
        + "-bot\",\"channel\":\"test\",\"contact\":\"" + contact + "\",\"messageId\":\"" + messageId + "\",\"text\":\"" + text + "\"}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }
}
