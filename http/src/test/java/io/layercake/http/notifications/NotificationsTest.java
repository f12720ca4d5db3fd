package io.layercake.http.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.EmailSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.NotificationSettings;
import io.layercake.config.PeopleSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.MailedSignIn;
import io.layercake.http.testing.PushReceivingBrowser;
import com.nimbusds.jwt.JWTClaimsSet;
import io.layercake.http.testing.StubProvider;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.session.SessionKey;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Notifications end to end on a real node: hand-offs and platform messages become people's
 * notifications, emailed through a real SMTP server (GreenMail) and pushed through a stub that
 * speaks Pushover's messages API; priority × choice × channel, a burst of 200 hand-offs, retries
 * and refusals recorded per channel, an organization's type map, the webhook feed, the live count,
 * and nobody reaching another person's notifications.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationsTest {
  private static final String TOKEN = "operator-token-for-notification-tests";
  private static final String APP_TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
  private static final String ANNA_KEY = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
  private static final String HANS_KEY = "gznej3rKEVAvPUxu9vvNnqpmZpokzF";
  private static final String OLGA_KEY = "pQ8zTnN8vBhYqGkX5cWmR2aL7dFsE3";
  private static final String FLAKY_KEY = "fLAKYfLAKYfLAKYfLAKYfLAKYfLAKY";
  private static final String REFUSED_KEY = "rEFUSEDrEFUSEDrEFUSEDrEFUSED12";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static GreenMail smtp;
  private static StubProvider pushover;
  private static StubProvider pushService;
  private static final Map<String, AtomicInteger> pushoverCalls = new ConcurrentHashMap<>();
  private static LayercakeNode node;
  private static HttpTestClient anonymous;
  private static HttpTestClient operator;
  private static HttpTestClient acmeKey;
  private static MailedSignIn mail;
  private static HttpTestClient anna;
  private static HttpTestClient hans;
  private static HttpTestClient olga;
  private static String annaFirstNotification;

  @BeforeAll
  static void start(@TempDir Path dir) {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    pushover = StubProvider.start(NotificationsTest::pushoverAnswer);
    // a browser's push service: a subscription it no longer knows answers 410 Gone
    pushService = StubProvider.start(request -> new StubProvider.Response(request.path().contains("/gone") ? 410 : 201, "", Map.of()));
    EmailSettings email = new EmailSettings("127.0.0.1", smtp.getSmtp().getPort(), EmailSettings.Security.NONE, "", Secret.of(""),
        "Layercake <no-reply@layercake.test>", 2);
    NotificationSettings notifications = NotificationSettings.defaults()
        .withTiming(Duration.ofMillis(200), Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(300))
        .withPushover(new NotificationSettings.Pushover(pushover.baseUrl(), Secret.of(APP_TOKEN)));
    PeopleSettings people = PeopleSettings.defaults().withEmail(email).withNotifications(notifications);
    LayercakeSettings settings = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100);
    // the stub push service listens on 127.0.0.1 over http
    node = LayercakeNode.start(settings.withAdmin(new AdminSettings(Secret.of(TOKEN))).withPeople(people)
        .withWebhooks(settings.webhooks().allowingPrivateHttpTargets()));
    anonymous = HttpTestClient.to(node.address());
    operator = anonymous.withBearer(TOKEN);
    mail = new MailedSignIn(smtp, anonymous, node.system());
    String all = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    for (String agency : List.of("acme", "other")) {
      operator.post("/admin/organizations", "{\"id\":\"" + agency + "\",\"name\":\"" + agency + "\",\"tier\":\"agency\"}");
      operator.post("/admin/organizations/" + agency + "/purchases", "{\"idempotencyKey\":\"cs_" + agency + "\",\"credits\":1000}");
    }
    acmeKey = anonymous.withBearer(operator.post("/admin/organizations/acme/api-keys", "{\"name\":\"acme\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    HttpTestClient otherKey = anonymous.withBearer(operator.post("/admin/organizations/other/api-keys",
        "{\"name\":\"other\",\"scopes\":" + all + "}").json().path("key").asText());
    assertThat(acmeKey.post("/api/v1/organizations/children", "{\"id\":\"plumber\",\"name\":\"Plumber\"}").status()).isEqualTo(201);
    operator.post("/admin/agents", "{\"agentId\":\"plumber-bot\",\"orgId\":\"plumber\",\"name\":\"Bot\"}");
    anna = mail.invite(acmeKey, "anna@acme.test", "owner", "acme");
    hans = mail.invite(acmeKey, "hans@plumber.test", "client_owner", "plumber");
    olga = mail.invite(otherKey, "olga@other.test", "owner", "other");
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    smtp.stop();
    pushover.close();
    pushService.close();
  }

  /** Pushover's answers: a refused key gets its 400, a flaky key one 503 first; every other key is accepted. */
  private static StubProvider.Response pushoverAnswer(StubProvider.Request request) {
    Map<String, String> form = form(request.body());
    String user = form.getOrDefault("user", "");
    int call = pushoverCalls.computeIfAbsent(user, key -> new AtomicInteger()).incrementAndGet();
    if (!APP_TOKEN.equals(form.get("token"))) {
      return new StubProvider.Response(400, "{\"token\":\"invalid\",\"errors\":[\"application token is invalid\"],\"status\":0}", Map.of());
    }
    if (user.equals(REFUSED_KEY)) {
      return new StubProvider.Response(400, "{\"user\":\"invalid\",\"errors\":[\"user identifier is not a valid user, group, or "
          + "subscribed user key\"],\"status\":0,\"request\":\"r-refused\"}", Map.of());
    }
    if (user.equals(FLAKY_KEY) && call == 1) {
      return new StubProvider.Response(503, "", Map.of());
    }
    return new StubProvider.Response(200, "{\"status\":1,\"request\":\"r-" + user.substring(0, 4) + "-" + call + "\"}", Map.of());
  }

  @Test
  @Order(1)
  void aHandOffReachesTheAgencyAndTheClientTheWayEachChose() {
    assertThat(anna.send("PUT", "/api/v1/notification-settings", "{\"pushoverUserKey\":\"" + ANNA_KEY + "\"}").json()
        .path("pushoverKeySet").asBoolean()).isTrue();
    Response hansChose = hans.send("PUT", "/api/v1/notification-settings", "{\"pushoverUserKey\":\"" + HANS_KEY + "\","
        + "\"choices\":[{\"orgId\":\"plumber\",\"channel\":\"email\",\"enabled\":false}]}");
    assertThat(hansChose.status()).as(hansChose.body()).isEqualTo(200);
    assertThat(hansChose.body()).doesNotContain(HANS_KEY).contains("\"orgId\":\"plumber\",\"channel\":\"email\",\"enabled\":false");

    String sessionId = handOff("visitor-1");

    JsonNode annas = eventuallyOne(anna, "conversation.handed_off");
    assertThat(annas.path("title").asText()).isEqualTo("A conversation waits for a person · Plumber");
    assertThat(annas.path("priority").asText()).isEqualTo("high");
    assertThat(annas.path("link").asText()).isEqualTo("/app/inbox/" + sessionId);
    annaFirstNotification = annas.path("notificationId").asText();
    eventually(() -> assertThat(deliveries(anna, annaFirstNotification)).containsEntry("email", "sent").containsEntry("pushover", "sent"));
    List<MimeMessage> annasMail = mail.received("anna@acme.test").stream()
        .filter(message -> MailedSignIn.subject(message).contains("waits for a person")).toList();
    assertThat(annasMail).hasSize(1);
    assertThat(MailedSignIn.text(annasMail.get(0))).contains("The customer asked for a person.", "/app/inbox/" + sessionId);
    Map<String, String> push = pushesTo(ANNA_KEY).get(0);
    assertThat(push).containsEntry("token", APP_TOKEN).containsEntry("priority", "1")
        .containsEntry("title", "A conversation waits for a person · Plumber");
    assertThat(push.get("url")).endsWith("/app/inbox/" + sessionId);

    JsonNode hansOwn = eventuallyOne(hans, "conversation.handed_off");
    eventually(() -> assertThat(deliveries(hans, hansOwn.path("notificationId").asText()))
        .as("email switched off for plumber").containsExactly(Map.entry("pushover", "sent")));
    assertThat(mail.received("hans@plumber.test")).noneMatch(message -> MailedSignIn.subject(message).contains("waits"));
    assertThat(olga.get("/api/v1/notifications").json().path("notifications")).as("another agency hears nothing").isEmpty();

    Response read = anna.post("/api/v1/notifications/" + annaFirstNotification + "/read", "{}");
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().path("unread").asInt()).isZero();
    assertThat(hans.post("/api/v1/notifications/read", "{}").json().path("marked").asInt()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void priorityDecidesTheChannelsAndChoicesMoveThemExceptForCriticalOnes() {
    Response olgaChose = olga.send("PUT", "/api/v1/notification-settings", "{\"pushoverUserKey\":\"" + OLGA_KEY + "\",\"choices\":["
        + "{\"orgId\":\"*\",\"channel\":\"email\",\"enabled\":false},{\"orgId\":\"*\",\"channel\":\"pushover\",\"enabled\":true}]}");
    assertThat(olgaChose.status()).as(olgaChose.body()).isEqualTo(200);
    Map<String, Map<String, Set<String>>> expected = new LinkedHashMap<>();
    // person -> priority -> channels beyond the app
    expected.put("anna", Map.of("critical", Set.of("email", "pushover"), "high", Set.of("email", "pushover"), "normal", Set.of(),
        "low", Set.of("digest")));
    expected.put("olga", Map.of("critical", Set.of("email", "pushover"), "high", Set.of("pushover"), "normal", Set.of("pushover"),
        "low", Set.of()));
    for (String priority : List.of("critical", "high", "normal", "low")) {
      Response posted = operator.post("/admin/notifications", "{\"title\":\"Maintenance " + priority + "\",\"body\":\"Tonight 22:00\","
          + "\"priority\":\"" + priority + "\",\"link\":\"/app\"}");
      assertThat(posted.status()).as(posted.body()).isEqualTo(202);
    }
    Map<String, HttpTestClient> persons = Map.of("anna", anna, "olga", olga);
    for (Map.Entry<String, Map<String, Set<String>>> person : expected.entrySet()) {
      for (Map.Entry<String, Set<String>> row : person.getValue().entrySet()) {
        JsonNode notification = eventuallyTitled(persons.get(person.getKey()), "Maintenance " + row.getKey());
        assertThat(notification.path("priority").asText()).isEqualTo(row.getKey());
        assertThat(deliveries(persons.get(person.getKey()), notification.path("notificationId").asText()).keySet())
            .as(person.getKey() + " × " + row.getKey()).isEqualTo(row.getValue());
      }
    }
    eventually(() -> assertThat(pushesTo(OLGA_KEY)).extracting(push -> push.get("priority")).containsExactlyInAnyOrder("2", "1", "0"));
    Map<String, String> critical = pushesTo(OLGA_KEY).stream().filter(push -> push.get("priority").equals("2")).findFirst().orElseThrow();
    assertThat(critical).containsEntry("retry", "60").containsEntry("expire", "3600");
    eventually(() -> assertThat(mail.received("olga@other.test")).extracting(MailedSignIn::subject)
        .as("email is off for olga, but not for critical ones").contains("Maintenance critical").doesNotContain("Maintenance high"));
    JsonNode low = eventuallyTitled(anna, "Maintenance low");
    JsonNode lowDelivery = anna.get("/api/v1/notifications/" + low.path("notificationId").asText()).json().path("deliveries").get(0);
    assertThat(lowDelivery.path("status").asText()).isEqualTo("pending");
    assertThat(lowDelivery.path("summary").asText()).startsWith("the daily digest email due ").endsWith(":00 UTC");
    assertThat(anna.post("/api/v1/notifications/read", "{}").status()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aBurstOf200HandOffsIsOneNotificationAndOneEmailPerPerson() {
    long emailsBefore = waitsEmailsTo("anna@acme.test");
    int pushesBefore = pushesTo(ANNA_KEY).size();
    for (int i = 0; i < 200; i++) {
      handOff("burst-" + i);
    }
    eventually(() -> {
      List<JsonNode> burst = unreadOfType(anna, "conversation.handed_off");
      assertThat(burst).hasSize(1);
      assertThat(burst.get(0).path("occurrences").asInt()).isEqualTo(200);
      assertThat(burst.get(0).path("title").asText()).isEqualTo("200 conversations wait for a person · Plumber");
      assertThat(burst.get(0).path("link").asText()).isEqualTo("/app/inbox");
      assertThat(deliveries(anna, burst.get(0).path("notificationId").asText()))
          .isEqualTo(Map.of("email", "sent", "pushover", "sent"));
    });
    assertThat(waitsEmailsTo("anna@acme.test")).isEqualTo(emailsBefore + 1);
    assertThat(pushesTo(ANNA_KEY)).hasSize(pushesBefore + 1);
    eventually(() -> assertThat(unreadOfType(hans, "conversation.handed_off")).singleElement()
        .satisfies(burst -> assertThat(burst.path("occurrences").asInt()).isEqualTo(200)));
    anna.post("/api/v1/notifications/read", "{}");
  }

  @Test
  @Order(4)
  void aRefusedKeyFailsForGoodAndAFlakyOneIsTriedAgain() {
    hans.send("PUT", "/api/v1/notification-settings", "{\"pushoverUserKey\":\"" + REFUSED_KEY + "\"}");
    olga.send("PUT", "/api/v1/notification-settings", "{\"pushoverUserKey\":\"" + FLAKY_KEY + "\"}");
    operator.post("/admin/notifications", "{\"title\":\"Retry check\",\"priority\":\"high\"}");

    JsonNode hansOwn = eventuallyTitled(hans, "Retry check");
    eventually(() -> {
      JsonNode pushed = channel(hans, hansOwn.path("notificationId").asText(), "pushover");
      assertThat(pushed.path("status").asText()).isEqualTo("failed");
      assertThat(pushed.path("attempts").asInt()).as("not tried again").isEqualTo(1);
      assertThat(pushed.path("summary").asText())
          .isEqualTo("pushover failed: Pushover refused it: user identifier is not a valid user, group, or subscribed user key");
    });
    JsonNode olgas = eventuallyTitled(olga, "Retry check");
    eventually(() -> {
      JsonNode pushed = channel(olga, olgas.path("notificationId").asText(), "pushover");
      assertThat(pushed.path("status").asText()).isEqualTo("sent");
      assertThat(pushed.path("attempts").asInt()).isEqualTo(2);
      assertThat(pushed.path("summary").asText()).startsWith("sent by pushover ");
    });
    assertThat(pushoverCalls.get(FLAKY_KEY).get()).isEqualTo(2);
    assertThat(pushoverCalls.get(REFUSED_KEY).get()).isEqualTo(1);
  }

  @Test
  @Order(5)
  void anOrganizationMapsATypeToItsChannelsAndItsWebhooksHearOfIt() {
    HttpTestClient annaInPlumber = anna.withHeaders(Map.of("Layercake-Organization", "plumber"));
    Response mapped = annaInPlumber.send("PUT", "/api/v1/notification-routes/conversation.handed_off", "{\"channels\":[\"pushover\",\"webhook\"]}");
    assertThat(mapped.status()).as(mapped.body()).isEqualTo(200);
    assertThat(mapped.json().path("types").findValuesAsText("type")).contains("conversation.handed_off", "lead.captured")
        .doesNotContain("platform.message");
    assertThat(hans.send("PUT", "/api/v1/notification-routes/conversation.handed_off", "{\"channels\":[]}").errorCode())
        .as("a client owner cannot change the organization's map").isEqualTo("missing_scope");
    assertThat(annaInPlumber.send("PUT", "/api/v1/notification-routes/no.such.type", "{\"channels\":[]}").status()).isEqualTo(404);
    assertThat(annaInPlumber.send("PUT", "/api/v1/notification-routes/lead.captured", "{\"channels\":[\"fax\"]}").status()).isEqualTo(400);

    String sessionId = handOff("mapped");
    JsonNode annas = eventuallyOne(anna, "conversation.handed_off");
    eventually(() -> assertThat(deliveries(anna, annas.path("notificationId").asText()))
        .isEqualTo(Map.of("pushover", "sent")));
    eventually(() -> assertThat(allEvents(acmeKey)).anyMatch(event -> event.path("type").asText().equals("notification.created")
        && event.path("sessionId").asText().equals(sessionId)
        && event.path("data").path("type").asText().equals("conversation.handed_off")));

    Response reset = annaInPlumber.send("PUT", "/api/v1/notification-routes/conversation.handed_off", "{\"channels\":null}");
    assertThat(reset.json().path("types").get(0).path("custom").asBoolean()).isFalse();
    assertThat(reset.json().path("types").get(0).path("channels").toString()).isEqualTo("[\"email\",\"push\",\"pushover\",\"webhook\"]");
    anna.post("/api/v1/notifications/read", "{}");
  }

  @Test
  @Order(6)
  void theBellHearsNewNotificationsLive() throws Exception {
    HttpClient browser = HttpClient.newHttpClient();
    HttpResponse<Stream<String>> stream = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.address().getPort()
            + "/api/v1/notification-events")).header("Accept", "text/event-stream").header("Cookie", mail.cookieOf(anna)).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> stream.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    eventually(() -> assertThat(lines).contains("event:notifications", "data:{\"unread\":0}"));
    operator.post("/admin/notifications", "{\"title\":\"Live one\",\"priority\":\"normal\"}");
    eventually(() -> assertThat(lines).contains("data:{\"unread\":1}"));
    int open = io.layercake.http.server.LiveCount.open();
    assertThat(open).isPositive();
    stream.body().close();
    for (int i = 0; i < 5; i++) {
      HttpResponse<Stream<String>> left = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.address().getPort()
              + "/api/v1/notification-events")).header("Cookie", mail.cookieOf(anna)).GET().build(), HttpResponse.BodyHandlers.ofLines());
      left.body().findFirst();
      left.body().close();
    }
    eventually(() -> assertThat(io.layercake.http.server.LiveCount.open()).as("streams of browsers gone are closed").isEqualTo(open - 1));
  }

  @Test
  @Order(7)
  void nobodyReachesAnotherPersonsNotifications() {
    String annas = annaFirstNotification;
    assertThat(olga.get("/api/v1/notifications/" + annas).status()).isEqualTo(404);
    assertThat(olga.post("/api/v1/notifications/" + annas + "/read", "{}").status()).isEqualTo(404);
    assertThat(olga.get("/api/v1/notifications?limit=100").body()).doesNotContain(annas).doesNotContain("plumber");
    assertThat(hans.get("/api/v1/notifications/" + annas).status()).isEqualTo(404);
    assertThat(olga.send("PUT", "/api/v1/notification-settings", "{\"choices\":[{\"orgId\":\"plumber\",\"channel\":\"email\","
        + "\"enabled\":true}]}").status()).as("a choice for an organization olga cannot see").isEqualTo(404);
    Response byKey = acmeKey.get("/api/v1/notifications");
    assertThat(byKey.status()).isEqualTo(403);
    assertThat(acmeKey.get("/api/v1/notification-settings").status()).isEqualTo(403);
    assertThat(anna.get("/api/v1/notification-settings").body()).doesNotContain(ANNA_KEY);
    assertThat(anna.send("PUT", "/api/v1/notification-settings", "{\"pushoverUserKey\":\"short\"}").status()).isEqualTo(400);
    assertThat(anna.send("PUT", "/api/v1/notification-settings", "{\"choices\":[{\"orgId\":\"*\",\"channel\":\"in_app\","
        + "\"enabled\":false}]}").status()).isEqualTo(400);
  }

  @Test
  @Order(8)
  void theListPagesNewestFirstAndMarksRead() {
    operator.post("/admin/notifications", "{\"title\":\"Paging check\",\"priority\":\"normal\"}");
    eventuallyTitled(anna, "Paging check");
    JsonNode first = anna.get("/api/v1/notifications?limit=2").json();
    assertThat(first.path("notifications")).hasSize(2);
    String cursor = first.path("nextCursor").asText();
    JsonNode second = anna.get("/api/v1/notifications?limit=2&cursor=" + URLDecoder.decode(cursor, StandardCharsets.UTF_8)).json();
    Set<String> ids = new HashSet<>(first.path("notifications").findValuesAsText("notificationId"));
    assertThat(second.path("notifications").findValuesAsText("notificationId")).hasSize(2).noneMatch(ids::contains);
    assertThat(anna.get("/api/v1/notifications?cursor=forged").status()).isEqualTo(400);
    assertThat(anna.get("/api/v1/notifications?unread=maybe").status()).isEqualTo(400);
    int unread = anna.get("/api/v1/notifications").json().path("unread").asInt();
    assertThat(unread).isPositive();
    assertThat(anna.get("/api/v1/notifications?unread=true&limit=100").json().path("notifications")).hasSize(unread);
    assertThat(anna.post("/api/v1/notifications/read", "{}").json().path("marked").asInt()).isEqualTo(unread);
    assertThat(anna.get("/api/v1/notifications").json().path("unread").asInt()).isZero();
  }

  @Test
  @Order(9)
  void subscribedBrowsersGetPushesEncryptedForThemAndSignedByThePlatform() throws Exception {
    String serverKey = anna.get("/api/v1/push/key").json().path("applicationServerKey").asText();
    assertThat(java.util.Base64.getUrlDecoder().decode(serverKey)).hasSize(65);
    PushReceivingBrowser browser = new PushReceivingBrowser();
    PushReceivingBrowser forgotten = new PushReceivingBrowser();
    Response subscribed = anna.post("/api/v1/push-subscriptions", subscription(pushService.baseUrl() + "/push/anna-laptop", browser));
    assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
    String laptop = subscribed.json().path("subscriptionId").asText();
    assertThat(anna.post("/api/v1/push-subscriptions", subscription(pushService.baseUrl() + "/push/gone", forgotten)).status())
        .isEqualTo(201);
    assertThat(anna.post("/api/v1/push-subscriptions", subscription("ftp://push.example/x", browser)).status()).isEqualTo(400);
    assertThat(anna.post("/api/v1/push-subscriptions", "{\"endpoint\":\"" + pushService.baseUrl() + "/push/x\",\"keys\":"
        + "{\"p256dh\":\"short\",\"auth\":\"short\"}}").status()).isEqualTo(400);
    assertThat(acmeKey.post("/api/v1/push-subscriptions", subscription(pushService.baseUrl() + "/push/key", browser)).status())
        .isEqualTo(403);
    assertThat(olga.send("DELETE", "/api/v1/push-subscriptions/" + laptop, "").status()).as("not olga's").isEqualTo(404);
    assertThat(anna.get("/api/v1/notification-settings").body()).contains("\"channel\":\"push\",\"available\":true,\"reach\":\"2 browsers\"");

    operator.post("/admin/notifications", "{\"title\":\"Push check\",\"body\":\"Hello browser\",\"priority\":\"high\",\"link\":\"/app/inbox\"}");
    JsonNode pushed = eventuallyTitled(anna, "Push check");
    eventually(() -> assertThat(channel(anna, pushed.path("notificationId").asText(), "push").path("status").asText()).isEqualTo("sent"));
    StubProvider.Request delivered = pushService.requestsTo("/push/anna-laptop").get(0);
    assertThat(delivered.headers()).containsEntry("Content-Encoding", "aes128gcm").containsEntry("Urgency", "high")
        .containsEntry("TTL", "86400");
    JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper().readTree(browser.open(delivered.bytes()));
    assertThat(payload.path("title").asText()).isEqualTo("Push check");
    assertThat(payload.path("body").asText()).isEqualTo("Hello browser");
    assertThat(payload.path("url").asText()).endsWith("/app/inbox");
    JWTClaimsSet claims = PushReceivingBrowser.verifiedVapid(delivered.headers().get("Authorization"), serverKey);
    assertThat(claims.getAudience()).containsExactly(pushService.baseUrl());
    assertThat(claims.getSubject()).isEqualTo("mailto:no-reply@layercake.local");
    assertThat(claims.getExpirationTime()).isAfter(new java.util.Date());
    eventually(() -> assertThat(anna.get("/api/v1/push-subscriptions").json().path("subscriptions").findValuesAsText("subscriptionId"))
        .as("the expired one is forgotten").containsExactly(laptop));
    assertThat(anna.send("DELETE", "/api/v1/push-subscriptions/" + laptop, "").status()).isEqualTo(204);
  }

  private static String subscription(String endpoint, PushReceivingBrowser browser) {
    return "{\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"" + browser.p256dh() + "\",\"auth\":\"" + browser.auth() + "\"}}";
  }

  /** A conversation of the plumber's agent handed to the team, as the agent does; answers its session id. */
  private static String handOff(String contact) {
    Response inbound = operator.post("/admin/conversations/inbound", "{\"orgId\":\"plumber\",\"agentId\":\"plumber-bot\",\"channel\":\"test\","
        + "\"contact\":\"" + contact + "\",\"messageId\":\"m-" + contact + "\",\"text\":\"Hello\"}");
    assertThat(inbound.status()).as(inbound.body()).isEqualTo(202);
    String sessionId = new SessionKey("plumber-bot", "test", contact).sessionId();
    Response handedOff = operator.send("PATCH", "/admin/conversations/" + sessionId,
        "{\"action\":\"hand_off\",\"by\":\"team\",\"reason\":\"The customer asked for a person.\"}");
    assertThat(handedOff.status()).as(handedOff.body()).isEqualTo(200);
    return sessionId;
  }

  private static JsonNode eventuallyOne(HttpTestClient person, String type) {
    return TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      List<JsonNode> found = unreadOfType(person, type);
      assertThat(found).hasSize(1);
      return found.get(0);
    });
  }

  private static JsonNode eventuallyTitled(HttpTestClient person, String title) {
    return TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      List<JsonNode> found = new ArrayList<>();
      person.get("/api/v1/notifications?limit=100").json().path("notifications").forEach(n -> {
        if (n.path("title").asText().equals(title)) {
          found.add(n);
        }
      });
      assertThat(found).hasSize(1);
      return found.get(0);
    });
  }

  private static List<JsonNode> unreadOfType(HttpTestClient person, String type) {
    List<JsonNode> found = new ArrayList<>();
    person.get("/api/v1/notifications?unread=true&limit=100").json().path("notifications").forEach(n -> {
      if (n.path("type").asText().equals(type)) {
        found.add(n);
      }
    });
    return found;
  }

  /** Channel to status of one notification's deliveries. */
  private static Map<String, String> deliveries(HttpTestClient person, String notificationId) {
    Map<String, String> byChannel = new LinkedHashMap<>();
    person.get("/api/v1/notifications/" + notificationId).json().path("deliveries")
        .forEach(d -> byChannel.put(d.path("channel").asText(), d.path("status").asText()));
    return byChannel;
  }

  private static JsonNode channel(HttpTestClient person, String notificationId, String channel) {
    for (JsonNode delivery : person.get("/api/v1/notifications/" + notificationId).json().path("deliveries")) {
      if (delivery.path("channel").asText().equals(channel)) {
        return delivery;
      }
    }
    throw new AssertionError("no " + channel + " delivery of " + notificationId);
  }

  /** Every event of the feed, page by page. */
  private static List<JsonNode> allEvents(HttpTestClient key) {
    List<JsonNode> events = new ArrayList<>();
    String after = "0";
    while (true) {
      JsonNode page = key.get("/api/v1/events?after=" + after).json();
      if (page.path("events").isEmpty()) {
        return events;
      }
      page.path("events").forEach(events::add);
      after = page.path("nextCursor").asText();
    }
  }

  private static long waitsEmailsTo(String address) {
    return mail.received(address).stream().filter(message -> MailedSignIn.subject(message).contains("wait")).count();
  }

  private static List<Map<String, String>> pushesTo(String userKey) {
    return pushover.requestsTo("/1/messages.json").stream().map(request -> form(request.body()))
        .filter(form -> userKey.equals(form.get("user"))).toList();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    Arrays.stream(body.split("&")).filter(pair -> pair.contains("=")).forEach(pair -> form.put(
        URLDecoder.decode(pair.substring(0, pair.indexOf('=')), StandardCharsets.UTF_8),
        URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8)));
    return form;
  }

  private static void eventually(Runnable assertion) {
    TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }
}
