package io.layercake.http.setup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.LlmSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.setup.InterviewStep;
import io.layercake.runtime.setup.SetupFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setup mode on a real node (H2): guided interviews for three kinds of business with the built-in
 * model, answers in → files valid → connect → the test chat answers a price question from the
 * generated documents; corrections, hand edits, connecting twice and after an edit, a broken
 * configuration refused with the schema's words, who may see and write a setup, and a hosted
 * model (a stub speaking OpenAI's wire format) leading with the file tools.
 */
class SetupModeTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final String SCOPES = "[\"organizations:read\",\"organizations:write\",\"agents:read\",\"agents:write\",\"knowledge:read\",\"credits:read\"]";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CHAT_REQUESTS = new CopyOnWriteArrayList<>();

  private static HttpServer modelStub;
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient agency;
  private static HttpTestClient otherAgency;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    modelStub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    modelStub.setExecutor(Executors.newSingleThreadExecutor());
    modelStub.createContext("/v1/chat/completions", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      CHAT_REQUESTS.add(body);
      byte[] answer = hostedSetupAgent(JSON.readTree(body)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    modelStub.start();
    DatabaseSettings database = DatabaseSettings.h2File(dir, 4);
    LayercakeSettings settings = TestNodes.settings(dir, database, 100).withAdmin(new AdminSettings(Secret.of(TOKEN)));
    settings = settings.withLlm(new LlmSettings(Duration.ofSeconds(10),
        new LlmSettings.Endpoint("http://127.0.0.1:" + modelStub.getAddress().getPort() + "/v1", Secret.of("sk-stub")),
        settings.llm().anthropic()));
    node = LayercakeNode.start(settings);
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    for (String agencyId : List.of("agency-a", "agency-b")) {
      operator.post("/admin/organizations", "{\"id\":\"" + agencyId + "\",\"name\":\"" + agencyId + "\",\"tier\":\"agency\"}");
      operator.post("/admin/organizations/" + agencyId + "/purchases", "{\"idempotencyKey\":\"cs_" + agencyId + "\",\"credits\":500}");
    }
    agency = keyFor("agency-a");
    otherAgency = keyFor("agency-b");
    for (String client : List.of("plumber", "salon", "studio", "bakery")) {
      assertThat(agency.post("/api/v1/organizations/children", "{\"id\":\"" + client + "\",\"name\":\"" + client + "\"}").status())
          .isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    modelStub.stop(0);
  }

  @Test
  void aPlumberIsInterviewedConnectedAndAnswersAPriceQuestion() {
    JsonNode setup = interview("plumber", List.of(
        "Piet's Plumbing",
        "A family plumber in Utrecht since 1998. We fix leaks the same day and always tidy up.",
        "Callout: €65, the first half hour included\nLeak repair: from €90\nBoiler service: €120",
        "Monday to Friday 8:00 to 18:00, Saturday 9:00 to 13:00. We cover Utrecht, Nieuwegein and Zeist.",
        "Customers book by message; we confirm the time. Gas smells and flooding always go to a person at once. Free parking at the door is the customer's job.",
        "Piet (06 1234 5678) takes over, reachable 7:00 to 20:00; office@piets.nl for quotes.",
        "Friendly and short, we say 'je'. Customers write in Dutch and English.",
        "Do you work on Sundays? Only for emergencies, at double rate.\nDo you give quotes? Yes, free for jobs above €500.",
        "Mrs. de Vries had a burst pipe on Christmas Eve; we were there in 40 minutes and saved her floor.",
        "SMS +31 6 1111 2222 and the website https://piets-plumbing.nl"));

    assertThat(setup.path("configProblems")).isEmpty();
    for (String path : SetupFiles.paths()) {
      assertThat(file(setup, path).path("version").asInt()).as(path).isGreaterThan(0);
    }
    JsonNode config = readJson(file(setup, SetupFiles.CONFIG).path("content").asText());
    assertThat(config.path("agent").path("name").asText()).isEqualTo("Piet's Plumbing");
    assertThat(config.path("agent").path("languages").toString()).isEqualTo("[\"nl\",\"en\"]");
    assertThat(config.path("agent").path("faq")).hasSize(2);
    assertThat(config.path("channelBindings").toString()).contains("+31611112222");
    assertThat(config.path("agent").path("webchat").path("allowedOrigins").toString()).contains("https://piets-plumbing.nl");
    assertThat(setup.path("messages").get(setup.path("messages").size() - 1).path("text").asText()).contains("That is everything");

    String id = setup.path("setupId").asText();
    Response connected = agency.post("/api/v1/setups/" + id + "/connection", "{}");
    assertThat(connected.status()).as(connected.body()).isEqualTo(201);
    String agentId = connected.json().path("agentId").asText();
    assertThat(connected.json().path("documentIds")).hasSize(8);
    assertThat(agency.get("/api/v1/agents/" + agentId).json().path("config").path("name").asText()).isEqualTo("Piet's Plumbing");
    JsonNode listed = agency.get("/api/v1/setups?orgId=plumber").json().path("setups");
    assertThat(listed.findValuesAsText("agentId")).contains(agentId);

    String answer = testChat(id, "How much is a callout?");
    assertThat(answer).contains("€65");
    assertThat(testChat(id, "Do you work on Sundays?")).contains("double rate");

    List<String> testDocuments = new java.util.ArrayList<>();
    for (JsonNode document : operator.get("/admin/organizations/plumber/documents").json().path("documents")) {
      if (document.path("tags").toString().contains("setup-draft-")) {
        testDocuments.add(document.path("id").asText());
      }
    }
    assertThat(testDocuments).as("the test agent's own copies of the files").hasSize(8);
    assertThat(agency.get("/api/v1/agents/draft-" + id).json().path("config").path("name").asText()).isEqualTo("Piet's Plumbing (test)");
    operator.post("/admin/agents", "{\"agentId\": \"plumber-every-doc\", \"orgId\": \"plumber\", \"name\": \"Every document\"}");
    JsonNode included = operator.post("/admin/agents/plumber-every-doc/preview", "{\"message\":\"How much is a callout?\"}").json()
        .path("includedDocumentIds");
    List<String> includedIds = new java.util.ArrayList<>();
    included.forEach(documentId -> includedIds.add(documentId.asText()));
    assertThat(includedIds).as("an agent reading every document still does not read the test agent's").isNotEmpty()
        .doesNotContainAnyElementsOf(testDocuments);
  }

  @Test
  void aSalonAndAStudioFillTheSameFilesAndAnswerFromThem() {
    JsonNode salon = interview("salon", List.of(
        "Studio Bella", "A hair salon in Leiden for colour and cuts, known for calm appointments.",
        "Women's haircut: €45\nMen's haircut: €28\nFull colour: from €85", "Tuesday to Saturday 9:00 to 17:30, late night Thursday until 21:00.",
        "Online or by message; cancel 24 hours ahead or we charge half. Colour corrections need a consultation with a person.",
        "Bella answers on 071 555 1234 during opening hours.", "Warm and polite, in Dutch and English.",
        "Can I bring my child? Yes, children's cuts are €18.", "A bride whose colour went wrong elsewhere left in tears of joy.",
        "none yet"));
    JsonNode studio = interview("studio", List.of(
        "Flow Yoga", "A small yoga studio in Haarlem with classes for every level.",
        "Trial class: €10\nTen-class card: €120\nMonthly unlimited: €89", "Classes from 7:00 to 21:30 on weekdays, 9:00 to 12:00 at weekends.",
        "Book a spot in the app; cancel up to 2 hours before. Injuries and pregnancy questions go to a teacher.",
        "Sanne, the owner, on sanne@flowyoga.nl.", "Calm and encouraging, English and Dutch.",
        "Do I need my own mat? No, mats are free to use.", "A runner recovered from back pain after three months of classes.",
        "website https://flowyoga.nl"));

    for (JsonNode setup : List.of(salon, studio)) {
      assertThat(setup.path("configProblems")).as(setup.path("orgId").asText()).isEmpty();
      assertThat(agency.post("/api/v1/setups/" + setup.path("setupId").asText() + "/connection", "{}").status()).isEqualTo(201);
    }
    assertThat(testChat(salon.path("setupId").asText(), "How much is a men's haircut?")).contains("€28");
    assertThat(testChat(studio.path("setupId").asText(), "How much is a trial class?")).contains("€10");
    assertThat(testChat(studio.path("setupId").asText(), "Do I need my own mat?")).contains("free");
  }

  @Test
  void correctionsAndHandEditsLandInTheirFileAndConnectIsIdempotent() {
    JsonNode setup = start("bakery", "{}");
    String id = setup.path("setupId").asText();
    say(id, "Bakker Jansen");
    say(id, "A bakery in Delft, sourdough since 1952.");
    say(id, "Sourdough loaf: €4.50");
    say(id, "Monday to Saturday 7:00 to 18:00.");
    JsonNode corrected = say(id, "Actually we close at 17:00 on Saturdays");

    JsonNode hours = file(corrected, "kb/hours-and-area.md");
    assertThat(hours.path("version").asInt()).isEqualTo(2);
    assertThat(hours.path("content").asText()).contains("Monday to Saturday 7:00 to 18:00").contains("we close at 17:00 on Saturdays");
    String reply = last(corrected);
    assertThat(reply).contains("corrected kb/hours-and-area.md").endsWith(InterviewStep.BOOKING.question());

    Response edited = agency.send("PUT", "/api/v1/setups/" + id + "/files",
        "{\"path\":\"kb/hours-and-area.md\",\"content\":\"# Opening hours and area\\n\\nTuesday to Saturday 7:00 to 17:00 (hand edit).\"}");
    assertThat(edited.status()).as(edited.body()).isEqualTo(200);
    JsonNode again = say(id, "Actually we also deliver to Rijswijk on Fridays");
    assertThat(file(again, "kb/hours-and-area.md").path("content").asText())
        .as("the interviewer builds on the person's edit").contains("(hand edit)").contains("Rijswijk");
    JsonNode versions = agency.get("/api/v1/setups/" + id + "/file-versions?path=kb/hours-and-area.md").json().path("versions");
    assertThat(versions).hasSize(4);
    assertThat(versions.get(2).path("author").asText()).isEqualTo("person");
    assertThat(versions.get(3).path("author").asText()).isEqualTo("agent");

    Response first = agency.post("/api/v1/setups/" + id + "/connection", "{}");
    Response twice = agency.post("/api/v1/setups/" + id + "/connection", "{}");
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(twice.status()).isEqualTo(200);
    assertThat(twice.json().path("changed").asBoolean()).isFalse();
    assertThat(twice.json().path("documentIds")).isEqualTo(first.json().path("documentIds"));

    agency.send("PUT", "/api/v1/setups/" + id + "/files", "{\"path\":\"kb/services-and-prices.md\",\"content\":\"# Services and prices\\n\\nSourdough loaf: €4.80\"}");
    Response updated = agency.post("/api/v1/setups/" + id + "/connection", "{}");
    assertThat(updated.status()).as(updated.body()).isEqualTo(201);
    assertThat(updated.json().path("agentId").asText()).isEqualTo(first.json().path("agentId").asText());
    assertThat(updated.json().path("removedDocumentIds")).isEqualTo(first.json().path("documentIds"));
    String agentId = updated.json().path("agentId").asText();
    assertThat(agency.get("/api/v1/agents/" + agentId).json().path("version").asInt()).as("only a document changed").isEqualTo(1);
    String library = operator.get("/admin/organizations/bakery/documents").body();
    assertThat(library).contains(updated.json().path("documentIds").get(0).asText())
        .doesNotContain(first.json().path("documentIds").get(0).asText());
    assertThat(testChat(id, "How much is a sourdough loaf?")).contains("€4.80");

    ObjectNode config = (ObjectNode) readJson(file(agency.get("/api/v1/setups/" + id).json(), SetupFiles.CONFIG).path("content").asText());
    ((ObjectNode) config.path("agent")).put("greeting", "Goedemorgen! Fresh bread is ready at 7.");
    agency.send("PUT", "/api/v1/setups/" + id + "/files", JSON.createObjectNode().put("path", SetupFiles.CONFIG)
        .put("content", config.toString()).toString());
    assertThat(agency.post("/api/v1/setups/" + id + "/connection", "{}").status()).isEqualTo(201);
    JsonNode reconfigured = agency.get("/api/v1/agents/" + agentId).json();
    assertThat(reconfigured.path("version").asInt()).as("created, then reconfigured").isEqualTo(2);
    assertThat(reconfigured.path("config").path("greeting").asText()).startsWith("Goedemorgen");

    Response broken = agency.send("PUT", "/api/v1/setups/" + id + "/files",
        "{\"path\":\"agent-config.json\",\"content\":\"{\\\"bundleId\\\": \\\"setup\\\", \\\"agent\\\": {\\\"name\\\": \\\"\\\"}}\"}");
    assertThat(broken.json().path("configProblems").get(0).asText()).contains("agentId");
    Response refused = agency.post("/api/v1/setups/" + id + "/connection", "{}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("error").path("code").asText()).isEqualTo("invalid_config");
    assertThat(refused.json().path("error").path("message").asText()).contains("does not match the schema").contains("agentId");
  }

  @Test
  void onlyTheOrganizationSeesASetupAndOnlyItsStarterWritesInIt() {
    JsonNode setup = start("plumber", "{}");
    String id = setup.path("setupId").asText();
    HttpTestClient colleague = keyFor("agency-a");

    assertThat(otherAgency.get("/api/v1/setups/" + id).status()).isEqualTo(404);
    assertThat(otherAgency.get("/api/v1/setups").body()).doesNotContain(id);
    assertThat(otherAgency.get("/api/v1/setups?orgId=plumber").status()).isEqualTo(404);
    assertThat(agency.get("/api/v1/setups?orgId=plumber").body()).contains(id);
    assertThat(agency.get("/api/v1/setups").body()).as("the agency's and its clients'").contains(id);
    assertThat(otherAgency.post("/api/v1/setups/" + id + "/messages", "{\"text\":\"hi\"}").status()).isEqualTo(404);
    assertThat(otherAgency.post("/api/v1/setups?orgId=plumber", "{}").status()).isEqualTo(404);
    assertThat(colleague.get("/api/v1/setups/" + id).status()).isEqualTo(200);
    Response notTheirs = colleague.post("/api/v1/setups/" + id + "/messages", "{\"text\":\"hi\"}");
    assertThat(notTheirs.status()).isEqualTo(403);
    assertThat(notTheirs.json().path("error").path("code").asText()).isEqualTo("not_owner");
    assertThat(agency.post("/api/v1/setups/" + id + "/messages", "{\"text\":\"\"}").status()).isEqualTo(400);
    assertThat(agency.send("PUT", "/api/v1/setups/" + id + "/files", "{\"path\":\"../etc/passwd\",\"content\":\"x\"}").status())
        .isEqualTo(400);
    assertThat(agency.post("/api/v1/setups", "{\"provider\":\"made-up\"}").status()).isEqualTo(400);
  }

  @Test
  void setupTurnsAndTestTurnsAreChargedAtTheCatalogPrice() {
    // an agency of its own, so no other test's turns settle on this balance meanwhile
    operator.post("/admin/organizations", "{\"id\":\"agency-c\",\"name\":\"agency-c\",\"tier\":\"agency\"}");
    operator.post("/admin/organizations/agency-c/purchases", "{\"idempotencyKey\":\"cs_agency-c\",\"credits\":50}");
    HttpTestClient own = keyFor("agency-c");
    assertThat(own.post("/api/v1/organizations/children", "{\"id\":\"noor\",\"name\":\"Noor\"}").status()).isEqualTo(201);
    long before = operator.get("/admin/organizations/agency-c/balance").json().path("available").asLong();
    Response started = own.post("/api/v1/setups?orgId=noor", "{}");
    String id = started.json().path("setupId").asText();

    Response answered = own.post("/api/v1/setups/" + id + "/messages", "{\"text\":\"Kapsalon Noor\"}");
    Response tested = own.post("/api/v1/setups/" + id + "/test-chat", "{\"text\":\"Hello\"}");

    JsonNode messages = answered.json().path("messages");
    assertThat(messages.get(messages.size() - 1).path("credits").asLong()).isEqualTo(1);
    assertThat(tested.json().path("status").asText()).as(tested.body()).isEqualTo("answered");
    org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<Object> probe =
        org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.create(node.system());
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      assertThat(operator.get("/admin/organizations/agency-c/balance").json().path("available").asLong())
          .as("one setup turn and one test turn").isEqualTo(before - 2);
      return null;
    });
  }

  @Test
  void aHostedModelLeadsWithTheFileToolsAndSeesThePersonsEdits() {
    JsonNode setup = start("studio", "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}");
    String id = setup.path("setupId").asText();
    agency.send("PUT", "/api/v1/setups/" + id + "/files",
        "{\"path\":\"kb/tone-and-voice.md\",\"content\":\"# Tone\\n\\nNever use emoji (hand edit).\"}");
    int before = CHAT_REQUESTS.size();

    JsonNode answered = say(id, "We are Zen Den, a meditation studio");

    assertThat(file(answered, "kb/faq.md").path("author").asText()).isEqualTo("agent");
    assertThat(file(answered, SetupFiles.CONFIG).path("version").asInt()).isEqualTo(1);
    assertThat(answered.path("configProblems")).isEmpty();
    assertThat(last(answered)).isEqualTo("Saved. What do you charge for a class?");
    List<String> requests = CHAT_REQUESTS.subList(before, CHAT_REQUESTS.size());
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0)).contains("Setup mode").contains("Never use emoji (hand edit)").contains("write_file");
    assertThat(requests.get(1)).contains("Saved kb/faq.md as version 1");
    assertThat(agency.post("/api/v1/setups/" + id + "/connection", "{}").status()).isEqualTo(201);
  }

  /** The stub model: first it writes two files, then (seeing the tools' results) it asks the next question. */
  private static String hostedSetupAgent(JsonNode request) throws IOException {
    boolean toolsAnswered = false;
    for (JsonNode message : request.path("messages")) {
      toolsAnswered |= "tool".equals(message.path("role").asText());
    }
    ObjectNode response = JSON.createObjectNode().put("id", "chatcmpl-setup").put("object", "chat.completion")
        .put("created", 1_700_000_000L).put("model", "gpt-4o-mini");
    ObjectNode message = response.putArray("choices").addObject().put("index", 0).put("finish_reason",
        toolsAnswered ? "stop" : "tool_calls").putObject("message").put("role", "assistant");
    if (toolsAnswered) {
      message.put("content", "Saved. What do you charge for a class?");
    } else {
      message.putNull("content");
      ArrayNode calls = message.putArray("tool_calls");
      String config = "{\"bundleId\":\"setup\",\"agent\":{\"agentId\":\"zen-den\",\"name\":\"Zen Den\",\"knowledgeTags\":[\"zen\"],"
          + "\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}}}";
      addCall(calls, "call_1", "write_file", Map.of("path", "kb/faq.md", "content", "# FAQ\n\nDo you have mats? Yes."));
      addCall(calls, "call_2", "write_file", Map.of("path", "agent-config.json", "content", config));
    }
    response.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
    return JSON.writeValueAsString(response);
  }

  private static void addCall(ArrayNode calls, String id, String name, Map<String, String> arguments) throws IOException {
    ObjectNode call = calls.addObject().put("id", id).put("type", "function");
    call.putObject("function").put("name", name).put("arguments", JSON.writeValueAsString(arguments));
  }

  private static JsonNode interview(String orgId, List<String> answers) {
    JsonNode setup = start(orgId, "{}");
    assertThat(last(setup)).endsWith(InterviewStep.NAME.question());
    for (String answer : answers) {
      setup = say(setup.path("setupId").asText(), answer);
    }
    return setup;
  }

  private static JsonNode start(String orgId, String body) {
    Response started = agency.post("/api/v1/setups?orgId=" + orgId, body);
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json();
  }

  private static JsonNode say(String setupId, String text) {
    Response answered = agency.post("/api/v1/setups/" + setupId + "/messages", JSON.createObjectNode().put("text", text).toString());
    assertThat(answered.status()).as(answered.body()).isEqualTo(200);
    return answered.json();
  }

  /** The test agent's reply to a customer's question, through the production turn on the test channel. */
  private static String testChat(String setupId, String question) {
    Response answer = agency.post("/api/v1/setups/" + setupId + "/test-chat", JSON.createObjectNode().put("text", question).toString());
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("status").asText()).as(answer.body()).isEqualTo("answered");
    return answer.json().path("replies").path(0).asText();
  }

  private static String last(JsonNode setup) {
    JsonNode messages = setup.path("messages");
    return messages.get(messages.size() - 1).path("text").asText();
  }

  private static JsonNode file(JsonNode setup, String path) {
    for (JsonNode file : setup.path("files")) {
      if (file.path("path").asText().equals(path)) {
        return file;
      }
    }
    throw new AssertionError("no file " + path);
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  private static HttpTestClient keyFor(String orgId) {
    Response created = operator.post("/admin/organizations/" + orgId + "/api-keys", "{\"name\":\"test\",\"scopes\":" + SCOPES + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return HttpTestClient.to(node.address()).withBearer(created.json().path("key").asText());
  }
}
