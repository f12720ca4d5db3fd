package io.layercake.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.AgentSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.Pdfs;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.TestNodes;
import java.io.IOException;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents and the knowledge library through the operator API, on a real node (H2). */
class AgentAndKnowledgeAdminTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final long MAX_DOCUMENT = 64 * 1024;
  private static LayercakeNode node;
  private static HttpTestClient operator;

  @BeforeAll
  static void start(@TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withAgents(new AgentSettings(60_000, MAX_DOCUMENT));
    node = LayercakeNode.start(settings);
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    operator.post("/admin/organizations", "{\"id\":\"piet\",\"name\":\"Piet's Plumbing\",\"tier\":\"pro\"}");
    operator.post("/admin/organizations", "{\"id\":\"salon\",\"name\":\"Salon\",\"tier\":\"pro\"}");
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  private static final String AGENT = """
      {"agentId": "piet-bot", "orgId": "piet", "name": "Piet's assistant",
       "persona": "Friendly and brief.",
       "faq": [{"question": "When are you open?", "answer": "Monday to Friday, 8 to 17."}],
       "tools": ["handoff_to_human"], "autonomy": "supervised", "knowledgeTags": ["plumbing"],
       "model": {"provider": "local", "model": "local", "temperature": 0},
       "languages": ["nl", "en"],
       "businessHours": {"timeZone": "Europe/Amsterdam", "hours": [{"day": "monday", "opens": "08:00", "closes": "17:00"}]}}
      """;

  @Test
  void createsReadsChangesAndPausesAnAgent() {
    Response created = operator.post("/admin/agents", AGENT);
    Response again = operator.post("/admin/agents", AGENT);
    Response changed = operator.send("PUT", "/admin/agents/piet-bot", AGENT.replace("Friendly and brief.", "Formal."));
    Response paused = operator.post("/admin/agents/piet-bot/pause", "");

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("config").path("autonomy").asText()).isEqualTo("supervised");
    assertThat(again.status()).isEqualTo(201);
    assertThat(changed.json().path("config").path("persona").asText()).isEqualTo("Formal.");
    assertThat(paused.json().path("status").asText()).isEqualTo("paused");
    assertThat(operator.get("/admin/agents/piet-bot").json().path("version").asLong()).isEqualTo(3);
    assertThat(operator.get("/admin/agents/nobody").status()).isEqualTo(404);
  }

  @Test
  void previewsWhatAnAgentAnswersFromItsFaqAndItsKnowledge() {
    operator.post("/admin/organizations", "{\"id\":\"previewco\",\"name\":\"Preview Plumbing\",\"tier\":\"pro\"}");
    operator.post("/admin/agents", AGENT.replace("piet-bot", "piet-preview").replace("\"orgId\": \"piet\"", "\"orgId\": \"previewco\""));
    upload("previewco", "Boilers", "plumbing", "text/markdown",
        "# Boilers\n\nReplacing a boiler starts at EUR 1,800 including installation.".getBytes());

    Response faq = operator.post("/admin/agents/piet-preview/preview", "{\"message\":\"When are you open?\"}");
    Response knowledge = operator.post("/admin/agents/piet-preview/preview", "{\"message\":\"How much is a new boiler?\"}");
    Response unknown = operator.post("/admin/agents/nobody/preview", "{\"message\":\"Hi\"}");

    assertThat(faq.json().path("reply").asText()).isEqualTo("Monday to Friday, 8 to 17.");
    assertThat(faq.json().path("provider").asText()).isEqualTo("local");
    assertThat(knowledge.json().path("reply").asText()).isEqualTo("Replacing a boiler starts at EUR 1,800 including installation.");
    assertThat(knowledge.json().path("includedDocumentIds")).isNotEmpty();
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void aManualTooLargeForThePromptIsSaidAtUploadAndLendsOnlyItsRelevantPassages() {
    operator.post("/admin/organizations", "{\"id\":\"manualco\",\"name\":\"Manual Plumbing\",\"tier\":\"pro\"}");
    operator.post("/admin/agents", AGENT.replace("piet-bot", "piet-manual").replace("\"orgId\": \"piet\"", "\"orgId\": \"manualco\""));
    Response prices = upload("manualco", "Prices", "plumbing", "text/markdown", "# Prices\n\nCall-out EUR 65.".getBytes());
    StringBuilder manual = new StringBuilder("# Installation manual\n\n");
    for (int page = 0; manual.length() < 63_000; page++) {
      manual.append(page == 300
          ? "Boiler service interval: clean the heat exchanger and check the flue every twelve months."
          : "Page " + page + ": turn the cap of the pressure relief valve a quarter turn to test it.").append("\n\n");
    }

    Response large = upload("manualco", "Manual", "plumbing", "text/markdown", manual.toString().getBytes());
    Response preview = operator.post("/admin/agents/piet-manual/preview", "{\"message\":\"How often should my boiler get a service?\"}");

    assertThat(prices.json().path("promptNote").isNull()).as("everything fits").isTrue();
    assertThat(large.json().path("promptNote").asText()).startsWith("This document does not fit whole").contains("60000");
    JsonNode uses = preview.json().path("knowledge");
    assertThat(uses).hasSize(2);
    assertThat(uses.findValuesAsText("inPrompt")).containsExactlyInAnyOrder("whole", "excerpts");
    assertThat(uses.toString()).contains("passages most relevant to the message");
    assertThat(preview.json().path("reply").asText()).contains("twelve months");
  }

  private static final String BUNDLE = """
      {"bundleId": "piet-setup-1",
       "agent": {"agentId": "imported-bot", "name": "Piet's imported assistant", "tools": ["handoff_to_human"],
                 "autonomy": "autonomous", "knowledgeTags": ["plumbing"],
                 "faq": [{"question": "Do you work weekends?", "answer": "Only for emergencies."}],
                 "businessHours": {"timeZone": "Europe/Amsterdam", "hours": [{"day": "friday", "opens": "08:00", "closes": "16:00"}]}},
       "documents": [{"title": "Prices", "tags": ["plumbing"], "markdown": "# Prices\\n\\nCall-out EUR 65."},
                     {"title": "Area", "tags": ["plumbing"], "markdown": "We work in Utrecht and Zeist."}],
       "channelBindings": [{"channel": "whatsapp", "address": "106540352242922"}]}
      """;

  @Test
  void importsABundleOnceAndPublishesItsSchema() {
    operator.post("/admin/organizations", "{\"id\":\"importco\",\"name\":\"Import Plumbing\",\"tier\":\"pro\"}");

    Response first = operator.post("/admin/organizations/importco/agent-imports", BUNDLE);
    Response second = operator.post("/admin/organizations/importco/agent-imports", BUNDLE);
    Response schema = HttpTestClient.to(node.address()).get("/schemas/agent-config.json");

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.json().path("documentIds")).hasSize(2);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().path("created").asBoolean()).isFalse();
    assertThat(second.json().path("documentIds")).isEqualTo(first.json().path("documentIds"));
    assertThat(operator.get("/admin/organizations/importco/documents").json().path("documents")).hasSize(2);
    assertThat(operator.get("/admin/agents/imported-bot").json().path("config").path("orgId").asText()).isEqualTo("importco");
    assertThat(schema.status()).isEqualTo(200);
    assertThat(schema.json().path("$schema").asText()).contains("2020-12");
  }

  @Test
  void aBundleThatFailsValidationCreatesNothing() {
    operator.post("/admin/organizations", "{\"id\":\"badimport\",\"name\":\"Bad Import\",\"tier\":\"pro\"}");

    Response shape = operator.post("/admin/organizations/badimport/agent-imports",
        BUNDLE.replace("piet-setup-1", "bad-1").replace("imported-bot", "bad-bot").replace("\"handoff_to_human\"", "\"launch_rockets\""));
    Response rules = operator.post("/admin/organizations/badimport/agent-imports",
        BUNDLE.replace("piet-setup-1", "bad-2").replace("imported-bot", "bad-bot").replace("Europe/Amsterdam", "Mars/Olympus"));
    operator.post("/admin/organizations", "{\"id\":\"holderco\",\"name\":\"Holder\",\"tier\":\"pro\"}");
    Response holder = operator.post("/admin/organizations/holderco/agent-imports",
        BUNDLE.replace("piet-setup-1", "holder-1").replace("imported-bot", "holder-bot").replace("106540352242922", "31600000001"));
    Response taken = operator.post("/admin/organizations/badimport/agent-imports",
        BUNDLE.replace("piet-setup-1", "bad-3").replace("imported-bot", "bad-bot").replace("106540352242922", "31600000001"));
    Response notJson = operator.post("/admin/organizations/badimport/agent-imports", "{\"bundleId\": ");
    Response twice = operator.post("/admin/organizations/badimport/agent-imports", BUNDLE.replace("piet-setup-1", "bad-4")
        .replace("imported-bot", "bad-bot").replace("106540352242922", "31611111111")
        .replace("[{\"channel\": \"whatsapp\", \"address\": \"31611111111\"}]",
            "[{\"channel\": \"whatsapp\", \"address\": \"31611111111\"}, {\"channel\": \"whatsapp\", \"address\": \"31611111111\"}]"));

    assertThat(shape.status()).isEqualTo(400);
    assertThat(shape.errorCode()).isEqualTo("invalid_bundle");
    assertThat(shape.json().path("error").path("message").asText()).contains("agent-config.json");
    assertThat(rules.status()).isEqualTo(400);
    assertThat(rules.json().path("error").path("message").asText()).contains("Mars/Olympus");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(twice.status()).as(twice.body()).isEqualTo(400);
    assertThat(holder.status()).isEqualTo(201);
    assertThat(taken.status()).isEqualTo(409);
    assertThat(operator.get("/admin/agents/bad-bot").status()).isEqualTo(404);
    assertThat(operator.get("/admin/organizations/badimport/documents").json().path("documents")).isEmpty();
  }

  @Test
  void listsAnOrganizationsAgentsAndArchivesThem() {
    operator.post("/admin/organizations", "{\"id\":\"listco\",\"name\":\"List Plumbing\",\"tier\":\"pro\"}");
    operator.post("/admin/agents", AGENT.replace("piet-bot", "list-a").replace("\"orgId\": \"piet\"", "\"orgId\": \"listco\""));
    operator.post("/admin/agents", AGENT.replace("piet-bot", "list-b").replace("\"orgId\": \"piet\"", "\"orgId\": \"listco\"")
        .replace("Piet's assistant", "Zed"));

    Response archived = operator.send("DELETE", "/admin/agents/list-b", "");

    assertThat(archived.json().path("status").asText()).isEqualTo("archived");
    assertThat(operator.send("PUT", "/admin/agents/list-b", AGENT.replace("piet-bot", "list-b")).status()).isEqualTo(409);
    org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create(node.system()).createTestProbe()
        .awaitAssert(java.time.Duration.ofSeconds(15), () -> {
          assertThat(operator.get("/admin/organizations/listco/agents").json().findValuesAsText("agentId")).containsExactly("list-a");
          assertThat(operator.get("/admin/organizations/listco/agents?includeArchived=true").json().findValuesAsText("status"))
              .containsExactly("active", "archived");
          return null;
        });
    assertThat(operator.get("/admin/organizations/piet/agents").json().findValuesAsText("agentId")).doesNotContain("list-a");
    assertThat(operator.post("/admin/agents/list-b/preview", "{\"message\":\"Hi\"}").status()).isEqualTo(404);
    operator.post("/admin/agents/list-a/pause", "");
    assertThat(operator.post("/admin/agents/list-a/preview", "{\"message\":\"Hi\"}").status()).isEqualTo(200);
    Response unconfigured = operator.send("PUT", "/admin/agents/list-a",
        AGENT.replace("piet-bot", "list-a").replace("\"orgId\": \"piet\"", "\"orgId\": \"listco\"")
            .replace("\"provider\": \"local\", \"model\": \"local\"", "\"provider\": \"openai\", \"model\": \"gpt-4o-mini\""));
    assertThat(unconfigured.status()).as(unconfigured.body()).isEqualTo(200);
    Response noKey = operator.post("/admin/agents/list-a/preview", "{\"message\":\"Hi\"}");
    assertThat(noKey.status()).isEqualTo(502);
    assertThat(noKey.json().path("error").path("message").asText()).contains("no API key");
  }

  @Test
  void refusesAnInvalidAgentNamingEveryProblem() {
    Response invalid = operator.post("/admin/agents",
        "{\"orgId\":\"piet\",\"name\":\"\",\"tools\":[\"launch_rockets\"],\"model\":{\"provider\":\"skynet\",\"model\":\"x\"}}");
    Response unknownOrg = operator.post("/admin/agents", "{\"orgId\":\"nobody\",\"name\":\"X\"}");

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errorCode()).isEqualTo("invalid_agent");
    assertThat(invalid.json().path("error").path("message").asText())
        .contains("name must not be empty").contains("unknown tool launch_rockets").contains("unknown model provider skynet");
    assertThat(unknownOrg.status()).isEqualTo(400);
  }

  @Test
  void extractsStoresListsRetagsAndDeletesDocuments() throws Exception {
    Response markdown = upload("piet", "Opening%20hours", "hours,Plumbing", "text/markdown", "# Hours\n\nMon-Fri 8-17".getBytes());
    Response pdf = upload("piet", "Prices", "plumbing", "application/pdf", Pdfs.withLine("Call-out fee: EUR 65"));
    Response csv = upload("piet", "Services", "plumbing", "text/csv", "service,price\nBoiler service,EUR 95\n".getBytes());
    Response corrupt = upload("piet", "Broken", "plumbing", "application/pdf", "%PDF-1.4 garbage".getBytes());

    assertThat(markdown.status()).isEqualTo(201);
    assertThat(markdown.json().path("tags").toString()).isEqualTo("[\"hours\",\"plumbing\"]");
    assertThat(pdf.status()).as("a PDF is extracted in the background").isEqualTo(202);
    assertThat(pdf.json().path("status").asText()).isEqualTo("extracting");
    assertThat(pdf.json().path("extractedPercent").asInt()).isZero();
    assertThat(corrupt.status()).isEqualTo(202);
    String pdfId = pdf.json().path("id").asText();
    String corruptId = corrupt.json().path("id").asText();
    TestProbe.create(node.system()).awaitAssert(Duration.ofSeconds(20), () -> {
      JsonNode extracted = operator.get("/admin/organizations/piet/documents/" + pdfId).json();
      assertThat(extracted.path("status").asText()).isEqualTo("ready");
      assertThat(extracted.path("extractedPercent").isNull()).isTrue();
      JsonNode unreadable = operator.get("/admin/organizations/piet/documents/" + corruptId).json();
      assertThat(unreadable.path("status").asText()).isEqualTo("failed");
      assertThat(unreadable.path("failureReason").asText()).startsWith("not a readable PDF");
      return null;
    });

    assertThat(operator.get("/admin/organizations/piet/documents/" + pdfId).json().path("text").asText()).contains("Call-out fee: EUR 65");
    assertThat(operator.get("/admin/organizations/piet/documents/" + csv.json().path("id").asText()).json().path("text").asText())
        .isEqualTo("service: Boiler service; price: EUR 95");
    JsonNode list = operator.get("/admin/organizations/piet/documents").json().path("documents");
    assertThat(list).hasSize(4);
    assertThat(list.get(0).has("text") && !list.get(0).path("text").isNull()).isFalse();
    assertThat(operator.get("/admin/organizations/salon/documents/" + pdfId).status()).isEqualTo(404);

    assertThat(operator.send("PATCH", "/admin/organizations/piet/documents/" + pdfId, "{\"tags\":[null]}").status()).isEqualTo(400);
    Response retagged = operator.send("PATCH", "/admin/organizations/piet/documents/" + pdfId, "{\"tags\":[\"prices\"]}");
    assertThat(retagged.json().path("tags").get(0).asText()).isEqualTo("prices");
    assertThat(operator.send("DELETE", "/admin/organizations/salon/documents/" + pdfId, "").status()).isEqualTo(404);
    assertThat(operator.send("DELETE", "/admin/organizations/piet/documents/" + pdfId, "").status()).isEqualTo(204);
    assertThat(operator.get("/admin/organizations/piet/documents/" + pdfId).status()).isEqualTo(404);
  }

  @Test
  void refusesOversizedAndUnsupportedUploadsWithJsonErrors() throws Exception {
    Response oversized = upload("piet", "Huge", "", "text/plain", new byte[(int) MAX_DOCUMENT + 1]);
    Response image = upload("piet", "Logo", "", "image/png", new byte[] {1, 2, 3});
    Response noTitle = upload("piet", "", "", "text/plain", "hello".getBytes());
    Response unknownOrg = upload("nobody", "Doc", "", "text/plain", "hello".getBytes());
    Response longTitle = upload("piet", "t".repeat(301), "", "text/plain", "hello".getBytes());
    Response agentWithoutProvider = operator.post("/admin/agents", "{\"orgId\":\"piet\",\"name\":\"X\",\"model\":{\"model\":\"m\"}}");
    Response json = operator.post("/admin/organizations/salon/documents",
        "{\"title\":\"Prices\",\"tags\":[\"hair\"],\"text\":\"Haircut EUR 30\"}");

    assertThat(oversized.status()).isEqualTo(413);
    assertThat(oversized.errorCode()).isEqualTo("payload_too_large");
    assertThat(image.status()).isEqualTo(415);
    assertThat(noTitle.status()).isEqualTo(400);
    assertThat(unknownOrg.status()).isEqualTo(404);
    assertThat(longTitle.status()).isEqualTo(400);
    assertThat(agentWithoutProvider.status()).isEqualTo(400);
    assertThat(json.status()).isEqualTo(201);
    assertThat(json.json().path("mimeType").asText()).isEqualTo("text/markdown");
  }

  private static Response upload(String orgId, String title, String tags, String mimeType, byte[] body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.address().getPort()
            + "/admin/organizations/" + orgId + "/documents?title=" + title + "&tags=" + tags))
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", mimeType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

}
