package io.layercake.http.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.EmailSettings;
import io.layercake.config.PeopleSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.MailedSignIn;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.access.Scopes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct messages end to end on a real node: an agency owner and their client's owner write, read
 * and see receipts; concurrent sends (each client message id sent twice at once) stay in order and
 * exactly once; across organizations only when both allow it; rules and blocks refuse; edits and
 * deletes by their sender only; the live unread count; nobody reads another's thread.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectMessagesTest {
  private static final String TOKEN = "operator-token-for-dm-tests";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static GreenMail smtp;
  private static LayercakeNode node;
  private static HttpTestClient acmeKey;
  private static HttpTestClient anna;
  private static HttpTestClient hans;
  private static HttpTestClient olga;
  private static HttpTestClient otto;
  private static MailedSignIn mail;
  private static final Map<HttpTestClient, String> ids = new java.util.IdentityHashMap<>();
  private static String thread;

  @BeforeAll
  static void start(@TempDir Path dir) {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    EmailSettings email = new EmailSettings("127.0.0.1", smtp.getSmtp().getPort(), EmailSettings.Security.NONE, "", Secret.of(""),
        "Layercake <no-reply@layercake.test>", 2);
    node = LayercakeNode.start(TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN))).withPeople(PeopleSettings.defaults().withEmail(email)));
    HttpTestClient anonymous = HttpTestClient.to(node.address());
    HttpTestClient operator = anonymous.withBearer(TOKEN);
    mail = new MailedSignIn(smtp, anonymous, node.system());
    String all = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    for (String agency : List.of("acme", "other")) {
      operator.post("/admin/organizations", "{\"id\":\"" + agency + "\",\"name\":\"" + agency + "\",\"tier\":\"agency\"}");
    }
    acmeKey = anonymous.withBearer(operator.post("/admin/organizations/acme/api-keys", "{\"name\":\"acme\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    HttpTestClient otherKey = anonymous.withBearer(operator.post("/admin/organizations/other/api-keys",
        "{\"name\":\"other\",\"scopes\":" + all + "}").json().path("key").asText());
    assertThat(acmeKey.post("/api/v1/organizations/children", "{\"id\":\"plumber\",\"name\":\"Plumber\"}").status()).isEqualTo(201);
    assertThat(otherKey.post("/api/v1/organizations/children", "{\"id\":\"bakery\",\"name\":\"Bakery\"}").status()).isEqualTo(201);
    anna = person(mail.invite(acmeKey, "anna@acme.test", "owner", "acme"));
    hans = person(mail.invite(acmeKey, "hans@plumber.test", "client_owner", "plumber"));
    olga = person(mail.invite(otherKey, "olga@other.test", "owner", "other"));
    otto = person(mail.invite(otherKey, "otto@bakery.test", "client_owner", "bakery"));
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    smtp.stop();
  }

  @Test
  @Order(1)
  void anAgencyOwnerAndTheirClientWriteReadAndSeeReceipts() {
    assertThat(anna.get("/api/v1/dm-contacts").json().path("contacts").findValuesAsText("userId")).contains(id(hans))
        .doesNotContain(id(olga));
    Response sent = anna.post("/api/v1/dms", "{\"to\":\"" + id(hans) + "\",\"clientMessageId\":\"c-1\",\"text\":\"Hi Hans, your agent is live.\"}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    thread = sent.json().path("threadId").asText();
    String messageId = sent.json().path("message").path("messageId").asText();
    Response again = anna.post("/api/v1/dms", "{\"to\":\"" + id(hans) + "\",\"clientMessageId\":\"c-1\",\"text\":\"Hi Hans, your agent is live.\"}");
    assertThat(again.status()).as("a retried send is the same message").isEqualTo(200);
    assertThat(again.json().path("message").path("messageId").asText()).isEqualTo(messageId);

    eventually(() -> {
      JsonNode inbox = hans.get("/api/v1/dms").json();
      assertThat(inbox.path("unread").asLong()).isEqualTo(1);
      assertThat(inbox.path("threads").get(0).path("with").path("name").asText()).isEqualTo("anna");
      assertThat(inbox.path("threads").get(0).path("lastPreview").asText()).isEqualTo("Hi Hans, your agent is live.");
    });
    Response reply = hans.post("/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"h-1\",\"text\":\"Thanks! Call me tomorrow?\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.json().path("message").path("seq").asLong()).isEqualTo(2);
    JsonNode read = anna.post("/api/v1/dms/" + thread + "/read", "{\"seq\":2}").json();
    assertThat(read.path("readByMe").asLong()).isEqualTo(2);
    JsonNode seenByHans = hans.get("/api/v1/dms/" + thread).json();
    assertThat(seenByHans.path("readByThem").asLong()).as("hans sees anna read his reply").isEqualTo(2);
    assertThat(seenByHans.path("messages").findValuesAsText("text")).containsExactly("Hi Hans, your agent is live.",
        "Thanks! Call me tomorrow?");
    eventually(() -> assertThat(anna.get("/api/v1/dms").json().path("unread").asLong()).isZero());
  }

  @Test
  @Order(2)
  void concurrentSendsStayInOrderAndEachClientMessageIdIsOneMessage() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      // every client message id is sent twice at once, as a retry racing its original through two nodes would be
      List<CompletableFuture<Response>> sends = Stream.of(anna, hans).flatMap(person -> IntStream.range(0, 40).boxed()
              .flatMap(i -> Stream.of(person, person).map(sender -> CompletableFuture.supplyAsync(() -> sender.post(
                  "/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"burst-" + i + "\",\"text\":\"number " + i + "\"}"), pool))))
          .toList();
      List<Response> answers = sends.stream().map(CompletableFuture::join).toList();
      assertThat(answers).allMatch(answer -> answer.status() == 201 || answer.status() == 200);
      assertThat(answers.stream().filter(answer -> answer.status() == 201)).as("one new message per id and sender").hasSize(80);
    } finally {
      pool.shutdown();
    }
    JsonNode messages = anna.get("/api/v1/dms/" + thread).json().path("messages");
    List<Long> seqs = new ArrayList<>();
    Set<String> perSender = new HashSet<>();
    messages.forEach(message -> {
      seqs.add(message.path("seq").asLong());
      perSender.add(message.path("senderId").asText() + "|" + message.path("text").asText());
    });
    assertThat(seqs).as("82 messages, numbered without a gap").containsExactlyElementsOf(numbered(1, 82));
    assertThat(perSender).hasSize(82);
  }

  @Test
  @Order(3)
  void acrossOrganizationsOnlyWhenBothAllowIt() {
    String toOlga = "{\"to\":\"" + id(olga) + "\",\"clientMessageId\":\"x-1\",\"text\":\"Hello from acme\"}";
    assertThat(anna.post("/api/v1/dms", toOlga).status()).as("another agency: as if olga did not exist").isEqualTo(404);
    assertThat(anna.send("PUT", "/api/v1/organization-messaging", "{\"allowCrossOrgMessaging\":true}").status()).isEqualTo(200);
    assertThat(anna.post("/api/v1/dms", toOlga).status()).as("one side allowing is not enough").isEqualTo(404);
    assertThat(hans.send("PUT", "/api/v1/organization-messaging", "{\"allowCrossOrgMessaging\":true}").json().path("error")
        .path("code").asText()).as("a client owner cannot open the organization").isEqualTo("missing_scope");
    assertThat(olga.send("PUT", "/api/v1/organization-messaging", "{\"allowCrossOrgMessaging\":true}").status()).isEqualTo(200);
    Response sent = anna.post("/api/v1/dms", toOlga);
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    assertThat(hans.post("/api/v1/dms", "{\"to\":\"" + id(otto) + "\",\"clientMessageId\":\"x-2\",\"text\":\"Hi\"}").status())
        .as("their clients did not allow it").isEqualTo(404);
  }

  @Test
  @Order(4)
  void rulesAndBlocksRefuseWithAReason() {
    Response mine = hans.send("PUT", "/api/v1/dm-settings", "{\"whoMayMessage\":\"my_agency\",\"remindAfterMinutes\":30}");
    assertThat(mine.json().path("whoMayMessage").asText()).isEqualTo("my_agency");
    assertThat(olga.send("PUT", "/api/v1/organization-messaging", "{\"allowCrossOrgMessaging\":true}").status()).isEqualTo(200);
    Response fromOlga = olga.post("/api/v1/dms", "{\"to\":\"" + id(hans) + "\",\"clientMessageId\":\"o-1\",\"text\":\"Hi\"}");
    assertThat(fromOlga.status()).isIn(403, 404);
    assertThat(anna.post("/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"r-1\",\"text\":\"Agency here\"}").status())
        .as("his agency may").isEqualTo(201);

    assertThat(hans.send("PUT", "/api/v1/dm-blocks/" + id(anna), "").json().path("blocked").toString()).contains(id(anna));
    Response blocked = anna.post("/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"r-2\",\"text\":\"Still there?\"}");
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.errorCode()).isEqualTo("not_allowed");
    assertThat(hans.post("/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"r-3\",\"text\":\"Hm\"}").status())
        .as("a block works both ways").isEqualTo(403);
    hans.send("DELETE", "/api/v1/dm-blocks/" + id(anna), "");
    hans.send("PUT", "/api/v1/dm-settings", "{\"whoMayMessage\":\"nobody\"}");
    Response nobody = anna.post("/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"r-4\",\"text\":\"Hello?\"}");
    assertThat(nobody.status()).isEqualTo(403);
    assertThat(nobody.body()).contains("takes no direct messages");
    hans.send("PUT", "/api/v1/dm-settings", "{\"whoMayMessage\":\"everyone\"}");
    assertThat(hans.send("PUT", "/api/v1/dm-settings", "{\"whoMayMessage\":\"friends\"}").status()).isEqualTo(400);
  }

  @Test
  @Order(5)
  void onlyTheSenderEditsOrDeletesAndBothSeeIt() {
    Response sent = anna.post("/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"e-1\",\"text\":\"See you at 10\"}");
    String messageId = sent.json().path("message").path("messageId").asText();
    assertThat(hans.send("PATCH", "/api/v1/dms/" + thread + "/messages/" + messageId, "{\"text\":\"See you never\"}").status())
        .isEqualTo(403);
    Response edited = anna.send("PATCH", "/api/v1/dms/" + thread + "/messages/" + messageId, "{\"text\":\"See you at 11\"}");
    assertThat(edited.json().path("message").path("editedAt").isNull()).isFalse();
    assertThat(hans.get("/api/v1/dms/" + thread).body()).contains("See you at 11").doesNotContain("See you at 10");
    assertThat(anna.send("DELETE", "/api/v1/dms/" + thread + "/messages/" + messageId, "").json().path("message").path("deleted")
        .asBoolean()).isTrue();
    eventually(() -> assertThat(hans.get("/api/v1/dms").json().path("threads").get(0).path("lastPreview").asText())
        .isEqualTo("(deleted)"));
    assertThat(hans.get("/api/v1/dms/" + thread).body()).doesNotContain("See you at 11");
  }

  @Test
  @Order(6)
  void nobodyReadsAnotherPersonsThread() {
    assertThat(olga.get("/api/v1/dms/" + thread).status()).isEqualTo(404);
    assertThat(olga.post("/api/v1/dms/" + thread + "/read", "{\"seq\":1}").status()).isEqualTo(404);
    assertThat(olga.post("/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"z\",\"text\":\"hijack\"}").status())
        .isEqualTo(404);
    assertThat(olga.get("/api/v1/dms").body()).doesNotContain(thread);
    assertThat(acmeKey.get("/api/v1/dms").status()).isEqualTo(403);
    assertThat(otto.send("PUT", "/api/v1/dm-blocks/no-such-user", "").status()).isEqualTo(404);
  }

  @Test
  @Order(7)
  void theUnreadCountIsLive() throws Exception {
    HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + node.address().getPort() + "/api/v1/dm-events")).header("Cookie", mail.cookieOf(hans)).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> stream.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    hans.post("/api/v1/dms/" + thread + "/read", "{\"seq\":1000}");
    eventually(() -> assertThat(lines).contains("event:dms", "data:{\"unread\":0}"));
    anna.post("/api/v1/dms/" + thread + "/messages", "{\"clientMessageId\":\"live-1\",\"text\":\"Ping\"}");
    eventually(() -> assertThat(lines).contains("data:{\"unread\":1}"));
    stream.body().close();
  }

  private static List<Long> numbered(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static HttpTestClient person(HttpTestClient client) {
    ids.put(client, client.get("/api/v1/me").json().path("user").path("userId").asText());
    return client;
  }

  private static String id(HttpTestClient person) {
    return ids.get(person);
  }

  private static void eventually(Runnable assertion) {
    TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }
}
