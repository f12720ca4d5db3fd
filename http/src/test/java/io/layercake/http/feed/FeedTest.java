package io.layercake.http.feed;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
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
 * The feed and broadcasts end to end: a new client shows in its agency's feed; an agency's
 * broadcast reaches its clients' feeds once (retried with its idempotency key: once) and, with a
 * priority, their people's notifications; the platform's reaches every organization; comments and
 * reactions; the live feed; and nobody reads or writes another agency's feed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeedTest {
  private static final String TOKEN = "operator-token-for-feed-tests";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static GreenMail smtp;
  private static LayercakeNode node;
  private static HttpTestClient acmeKey;
  private static HttpTestClient anna;
  private static HttpTestClient hans;
  private static HttpTestClient olga;
  private static HttpTestClient root;
  private static MailedSignIn mail;
  private static String itemInPlumber;

  @BeforeAll
  static void start(@TempDir Path dir) {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    EmailSettings email = new EmailSettings("127.0.0.1", smtp.getSmtp().getPort(), EmailSettings.Security.NONE, "", Secret.of(""),
        "Layercake <no-reply@layercake.test>", 2);
    node = LayercakeNode.start(TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withPeople(PeopleSettings.defaults().withEmail(email).withBootstrapOwnerEmail("root@platform.test")));
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
    for (String client : List.of("plumber", "salon")) {
      assertThat(acmeKey.post("/api/v1/organizations/children", "{\"id\":\"" + client + "\",\"name\":\"" + client + "\"}").status())
          .isEqualTo(201);
    }
    assertThat(otherKey.post("/api/v1/organizations/children", "{\"id\":\"bakery\",\"name\":\"Bakery\"}").status()).isEqualTo(201);
    anna = mail.invite(acmeKey, "anna@acme.test", "owner", "acme");
    hans = mail.invite(acmeKey, "hans@plumber.test", "client_owner", "plumber");
    olga = mail.invite(otherKey, "olga@other.test", "owner", "other");
    String link = node.bootstrapLink().orElseThrow();
    root = mail.signedIn(anonymous.post("/auth/session", "{\"token\":\"" + link.substring(link.indexOf("token=") + 6) + "\"}"))
        .withHeaders(Map.of("Layercake-Organization", "platform"));
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    smtp.stop();
  }

  @Test
  @Order(1)
  void aNewClientIsActivityInItsAgencysFeed() {
    eventually(() -> assertThat(anna.get("/api/v1/feed").json().path("items").findValuesAsText("title"))
        .contains("New client: plumber", "New client: salon"));
    assertThat(olga.get("/api/v1/feed").body()).doesNotContain("plumber");
  }

  @Test
  @Order(2)
  void anAgencysBroadcastReachesEachClientsFeedOnceAndTheirPeople() {
    byte[] body = ("{\"title\":\"New: answers on WhatsApp\",\"body\":\"Your agent answers WhatsApp too.\",\"priority\":\"normal\"}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Response sent = anna.post("/api/v1/broadcasts", body, Map.of("Idempotency-Key", "broadcast-1"));
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    String broadcastId = sent.json().path("broadcastId").asText();
    Response again = anna.post("/api/v1/broadcasts", body, Map.of("Idempotency-Key", "broadcast-1"));
    assertThat(again.json().path("broadcastId").asText()).as("a retry is the same broadcast").isEqualTo(broadcastId);

    eventually(() -> assertThat(anna.get("/api/v1/broadcasts").json().path("broadcasts").get(0).path("organizations").asLong())
        .as("plumber, salon and the agency itself").isEqualTo(3));
    JsonNode plumberFeed = hans.get("/api/v1/feed").json();
    List<JsonNode> broadcasts = new ArrayList<>();
    plumberFeed.path("items").forEach(item -> {
      if (item.path("kind").asText().equals("broadcast")) {
        broadcasts.add(item);
      }
    });
    assertThat(broadcasts).singleElement().satisfies(item -> {
      assertThat(item.path("title").asText()).isEqualTo("New: answers on WhatsApp");
      assertThat(item.path("author").asText()).contains("anna");
    });
    itemInPlumber = broadcasts.get(0).path("itemId").asText();
    assertThat(anna.get("/api/v1/feed?orgId=salon").body()).contains("New: answers on WhatsApp");
    assertThat(olga.get("/api/v1/feed?orgId=bakery").body()).doesNotContain("WhatsApp");
    eventually(() -> assertThat(hans.get("/api/v1/notifications").json().path("notifications").findValuesAsText("title"))
        .contains("New: answers on WhatsApp"));
    assertThat(anna.get("/api/v1/notifications").body()).as("the agency's own people are not its audience")
        .doesNotContain("answers on WhatsApp");
    assertThat(olga.get("/api/v1/notifications").body()).doesNotContain("answers on WhatsApp");
  }

  @Test
  @Order(3)
  void peopleCommentAndReactAndTheFeedIsLive() throws Exception {
    HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + node.address().getPort() + "/api/v1/feed-events")).header("Cookie", mail.cookieOf(hans)).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> stream.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    eventually(() -> assertThat(lines).contains("event:feed"));
    int before = lines.size();

    Response comment = hans.post("/api/v1/feed/" + itemInPlumber + "/comments", "{\"text\":\"Great news, thanks!\"}");
    assertThat(comment.status()).as(comment.body()).isEqualTo(201);
    assertThat(anna.send("PUT", "/api/v1/feed/" + itemInPlumber + "/reactions/like", "").json().path("reactions").path("like").asLong())
        .isEqualTo(1);
    assertThat(hans.send("PUT", "/api/v1/feed/" + itemInPlumber + "/reactions/like", "").json().path("reactions").path("like").asLong())
        .isEqualTo(2);
    assertThat(hans.send("PUT", "/api/v1/feed/" + itemInPlumber + "/reactions/like", "").json().path("reactions").path("like").asLong())
        .as("once per person").isEqualTo(2);
    assertThat(hans.send("PUT", "/api/v1/feed/" + itemInPlumber + "/reactions/angry", "").status()).isEqualTo(400);
    JsonNode item = hans.get("/api/v1/feed/" + itemInPlumber).json();
    assertThat(item.path("comments").get(0).path("text").asText()).isEqualTo("Great news, thanks!");
    assertThat(item.path("myReactions").toString()).isEqualTo("[\"like\"]");
    eventually(() -> assertThat(lines.subList(before, lines.size())).contains("event:feed"));
    stream.body().close();
    assertThat(hans.send("DELETE", "/api/v1/feed/" + itemInPlumber + "/reactions/like", "").json().path("reactions").path("like")
        .asLong()).isEqualTo(1);
  }

  @Test
  @Order(4)
  void nobodyReachesAnotherAgencysFeed() {
    assertThat(olga.get("/api/v1/feed/" + itemInPlumber).status()).isEqualTo(404);
    assertThat(olga.post("/api/v1/feed/" + itemInPlumber + "/comments", "{\"text\":\"hijack\"}").status()).isEqualTo(404);
    assertThat(olga.send("PUT", "/api/v1/feed/" + itemInPlumber + "/reactions/like", "").status()).isEqualTo(404);
    assertThat(olga.get("/api/v1/feed?orgId=plumber").status()).isEqualTo(404);
    assertThat(hans.get("/api/v1/feed?orgId=salon").status()).as("a sibling client").isEqualTo(404);
    assertThat(acmeKey.get("/api/v1/feed?orgId=plumber").status()).as("a key reads its clients' feeds").isEqualTo(200);
    assertThat(acmeKey.post("/api/v1/feed/" + itemInPlumber + "/comments", "{\"text\":\"machine\"}").status()).isEqualTo(403);
    assertThat(hans.post("/api/v1/broadcasts", "{\"title\":\"From a client\"}").status()).as("a client has no audience").isEqualTo(403);
    assertThat(anna.post("/api/v1/broadcasts", "{\"title\":\"Loud\",\"priority\":\"critical\"}").status())
        .as("critical is the platform's").isEqualTo(403);
    assertThat(anna.post("/api/v1/broadcasts", "{\"title\":\"\"}").status()).isEqualTo(400);
  }

  @Test
  @Order(5)
  void thePlatformsBroadcastReachesEveryOrganizationWithItsBadge() {
    Response sent = root.post("/api/v1/broadcasts", "{\"title\":\"Maintenance tonight\",\"body\":\"22:00 UTC\",\"priority\":\"critical\"}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    assertThat(sent.json().path("audience").asText()).isEqualTo("everyone");
    eventually(() -> {
      for (HttpTestClient person : List.of(anna, hans, olga)) {
        JsonNode items = person.get("/api/v1/feed").json().path("items");
        assertThat(items.findValuesAsText("kind")).contains("platform");
      }
      assertThat(olga.get("/api/v1/feed?orgId=bakery").json().path("items").findValuesAsText("title")).contains("Maintenance tonight");
    });
    eventually(() -> {
      for (HttpTestClient person : List.of(anna, hans, olga)) {
        assertThat(person.get("/api/v1/notifications").json().path("notifications").findValuesAsText("priority")).contains("critical");
      }
    });
  }

  private static void eventually(Runnable assertion) {
    TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }
}
