package io.layercake.http.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.EmailSettings;
import io.layercake.config.PeopleSettings;
import io.layercake.config.PortalSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.MailedSignIn;
import io.layercake.http.testing.StubDns;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.session.SessionKey;
import jakarta.mail.internet.MimeMessage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients' portals end to end: a client's owner signs in by the portal's own emailed link and
 * sees the dashboard and conversations of their business only (another client's conversation is a
 * 404 on every portal route); the agency brands it (white label only on a tier that has it),
 * uploads a logo served with caching headers, and proves a custom domain by a DNS TXT record,
 * after which the host is the portal; the agency's people open it without signing in again, noted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalTest {
  private static final String TOKEN = "operator-token-for-portal-tests";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern PORTAL_LINK = Pattern.compile("(http://[^\\s/]+)(/[^\\s]*)?/sign-in/link\\?token=([A-Za-z0-9_-]+)");
  private static final Pattern COOKIE = Pattern.compile("layercake_session=([A-Za-z0-9_-]+)");

  private static final Pattern REQUESTED_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private static GreenMail smtp;
  private static StubDns dns;
  private static io.layercake.http.testing.StubProvider model;
  private static LayercakeNode node;
  private static HttpTestClient anonymous;
  private static HttpTestClient operator;
  private static HttpTestClient acmeKey;
  private static HttpTestClient otherKey;
  private static HttpTestClient anna;
  private static HttpTestClient hansPortal;
  private static MailedSignIn mail;
  private static String plumberSession;
  private static String salonSession;

  @BeforeAll
  static void start(@TempDir Path dir) {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    dns = StubDns.start();
    model = io.layercake.http.testing.StubProvider.start(PortalTest::completion);
    EmailSettings email = new EmailSettings("127.0.0.1", smtp.getSmtp().getPort(), EmailSettings.Security.NONE, "", Secret.of(""),
        "Portal <no-reply@portal.test>", 2);
    io.layercake.config.LayercakeSettings defaults = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100);
    node = LayercakeNode.start(defaults
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withPeople(PeopleSettings.defaults().withEmail(email))
        .withPortal(PortalSettings.defaults().withDnsServer(dns.address()))
        .withLlm(new io.layercake.config.LlmSettings(Duration.ofSeconds(10),
            new io.layercake.config.LlmSettings.Endpoint(model.baseUrl() + "/v1", Secret.of("sk-stub")), defaults.llm().anthropic())));
    anonymous = HttpTestClient.to(node.address());
    operator = anonymous.withBearer(TOKEN);
    mail = new MailedSignIn(smtp, anonymous, node.system());
    String all = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    operator.post("/admin/organizations", "{\"id\":\"acme\",\"name\":\"Acme Digital\",\"tier\":\"agency\"}");
    operator.post("/admin/organizations", "{\"id\":\"other\",\"name\":\"Other Web\",\"tier\":\"pro\"}");
    operator.post("/admin/organizations/acme/purchases", "{\"idempotencyKey\":\"cs_portal\",\"credits\":100}");
    acmeKey = anonymous.withBearer(operator.post("/admin/organizations/acme/api-keys", "{\"name\":\"acme\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    otherKey = anonymous.withBearer(operator.post("/admin/organizations/other/api-keys", "{\"name\":\"other\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    for (String client : List.of("plumber", "salon")) {
      assertThat(acmeKey.post("/api/v1/organizations/children",
          "{\"id\":\"" + client + "\",\"name\":\"" + client.substring(0, 1).toUpperCase(Locale.ROOT) + client.substring(1) + "\"}").status())
          .isEqualTo(201);
      operator.post("/admin/agents", "{\"agentId\":\"" + client + "-bot\",\"orgId\":\"" + client + "\",\"name\":\"" + client + " bot\","
          + "\"faq\":[{\"question\":\"When are you open?\",\"answer\":\"Nine to five.\"}]}");
      Response inbound = operator.post("/admin/conversations/inbound", "{\"orgId\":\"" + client + "\",\"agentId\":\"" + client + "-bot\","
          + "\"channel\":\"test\",\"contact\":\"customer-of-" + client + "\",\"messageId\":\"m-" + client + "\",\"text\":\"When are you open?\"}");
      assertThat(inbound.status()).as(inbound.body()).isEqualTo(202);
    }
    assertThat(otherKey.post("/api/v1/organizations/children", "{\"id\":\"bakery\",\"name\":\"Bakery\"}").status()).isEqualTo(201);
    plumberSession = new SessionKey("plumber-bot", "test", "customer-of-plumber").sessionId();
    salonSession = new SessionKey("salon-bot", "test", "customer-of-salon").sessionId();
    anna = mail.invite(acmeKey, "anna@acme.test", "owner", "acme");
    mail.invite(acmeKey, "hans@plumber.test", "client_owner", "plumber");
    mail.invite(acmeKey, "sara@salon.test", "client_owner", "salon");
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    smtp.stop();
    dns.close();
    model.close();
  }

  @Test
  @Order(1)
  void aClientOwnerSignsInByThePortalsOwnLinkAndSeesTheirDashboard() {
    Response door = anonymous.get("/portal/plumber/");
    assertThat(door.status()).isEqualTo(303);
    assertThat(door.header("Location").orElseThrow()).isEqualTo("/portal/plumber/sign-in");
    assertThat(anonymous.get("/portal/plumber/sign-in").body()).contains("Sign in to Plumber").doesNotContain("Acme");

    hansPortal = signInThroughPortal("/portal/plumber", "hans@plumber.test", "Plumber");
    Response home = hansPortal.get("/portal/plumber/");
    assertThat(home.status()).as(home.body()).isEqualTo(200);
    assertThat(home.body()).contains("This week", "Plumber", "Powered by Layercake").doesNotContain("Acme Digital");
    eventually(() -> assertThat(figure(hansPortal.get("/portal/plumber/").body(), "figure-agent")).isEqualTo(1));
    assertThat(figure(hansPortal.get("/portal/plumber/").body(), "figure-conversations")).isEqualTo(1);

    Response outside = anonymous.postForm("/auth/session", Map.of("token", "not-a-token", "next", "/portal/plumber/"));
    assertThat(outside.status()).as("a made-up link signs nobody in").isEqualTo(401);
  }

  @Test
  @Order(2)
  void theClientSeesOnlyItsOwnConversationsAndTakesOneOverAndReplies() {
    eventually(() -> assertThat(hansPortal.get("/portal/plumber/conversations").body()).contains("customer-of-plumber"));
    Response list = hansPortal.get("/portal/plumber/conversations");
    assertThat(list.body()).doesNotContain("customer-of-salon");
    Response open = hansPortal.get("/portal/plumber/conversations/" + plumberSession);
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.body()).contains("Nine to five.", "id=\"take-over\"", "id=\"reply-form\"");

    for (String route : List.of("/portal/plumber/conversations/" + salonSession, "/portal/plumber/conversations/" + salonSession + "?before=5",
        "/portal/plumber/conversations/unknown-session", "/portal/plumber/nothing-here", "/portal/no-such-portal/")) {
      assertThat(hansPortal.get(route).status()).as(route).isEqualTo(404);
    }
    Response salon = hansPortal.get("/portal/salon/");
    assertThat(salon.status()).as("another client's portal asks to sign in").isEqualTo(303);
    assertThat(hansPortal.get("/portal/salon/sign-in").body()).contains("has no access here");
    assertThat(hansPortal.get("/portal/salon/conversations/" + salonSession).status()).isEqualTo(303);

    HttpTestClient api = hansPortal.withHeaders(Map.of("Layercake-Organization", "plumber",
        "X-CSRF-Token", hansPortal.get("/api/v1/me").json().path("csrfToken").asText()));
    Response reply = api.post("/api/v1/conversations/" + plumberSession + "/messages", "{\"text\":\"Hans here: we can come tomorrow.\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    eventually(() -> assertThat(figure(hansPortal.get("/portal/plumber/").body(), "figure-people")).isEqualTo(1));
    assertThat(figure(hansPortal.get("/portal/plumber/").body(), "figure-waiting")).isEqualTo(1);
    eventually(() -> assertThat(hansPortal.get("/portal/plumber/conversations/" + plumberSession).body())
        .contains("we can come tomorrow", "id=\"hand-back\""));
  }

  @Test
  @Order(3)
  void theAgencyBrandsThePortalAndWhiteLabelNeedsATierThatHasIt() {
    JsonNode portal = acmeKey.get("/api/v1/organizations/children/plumber/portal").json();
    assertThat(portal.path("slug").asText()).isEqualTo("plumber");
    assertThat(portal.path("branding").path("poweredBy").asBoolean()).isTrue();
    assertThat(portal.path("whiteLabelAllowed").asBoolean()).isTrue();

    Response branded = acmeKey.send("PUT", "/api/v1/organizations/children/plumber/portal", "{\"slug\":\"schmidt\",\"name\":\"Schmidt Sanitär\","
        + "\"primaryColor\":\"#0B3D91\",\"accentColor\":\"#ffb000\",\"supportEmail\":\"service@schmidt.test\",\"poweredBy\":false}");
    assertThat(branded.status()).as(branded.body()).isEqualTo(200);
    assertThat(branded.json().path("url").asText()).endsWith("/portal/schmidt/");
    assertThat(branded.json().path("branding").path("primaryColor").asText()).isEqualTo("#0b3d91");

    assertThat(hansPortal.get("/portal/plumber/").status()).as("the old address is gone").isEqualTo(404);
    String home = hansPortal.get("/portal/schmidt/").body();
    assertThat(home).contains("Schmidt Sanitär", "--brand:#0b3d91", "service@schmidt.test");
    assertThat(home.toLowerCase(Locale.ROOT)).as("white label: neither the platform nor the agency").doesNotContain("layercake", "acme");
    assertThat(hansPortal.get("/portal/schmidt/sign-in").body().toLowerCase(Locale.ROOT)).doesNotContain("layercake", "acme");

    assertThat(acmeKey.send("PUT", "/api/v1/organizations/children/salon/portal", "{\"slug\":\"schmidt\"}").status())
        .as("a slug is one portal's").isEqualTo(409);
    assertThat(acmeKey.send("PUT", "/api/v1/organizations/children/salon/portal", "{\"slug\":\"bakery\"}").status())
        .as("the id of a client still on its default portal is its slug").isEqualTo(409);
    for (String invalid : List.of("{\"slug\":\"Not A Slug\"}", "{\"slug\":\"assets\"}", "{\"primaryColor\":\"red\"}",
        "{\"supportEmail\":\"nobody\"}", "{\"name\":\"\"}", "not json")) {
      Response refused = acmeKey.send("PUT", "/api/v1/organizations/children/salon/portal", invalid);
      assertThat(refused.status()).as(invalid + ": " + refused.body()).isEqualTo(400);
      assertThat(refused.json().path("error").path("message").asText()).isNotBlank();
    }
    Response notOnPro = otherKey.send("PUT", "/api/v1/organizations/children/bakery/portal", "{\"poweredBy\":false}");
    assertThat(notOnPro.status()).as(notOnPro.body()).isEqualTo(403);
    assertThat(notOnPro.errorCode()).isEqualTo("tier_required");
    assertThat(otherKey.get("/api/v1/organizations/children/bakery/portal").json().path("whiteLabelAllowed").asBoolean()).isFalse();
    assertThat(otherKey.get("/api/v1/organizations/children/plumber/portal").status()).as("another agency's client").isEqualTo(404);
    assertThat(otherKey.send("PUT", "/api/v1/organizations/children/plumber/portal", "{\"enabled\":false}").status()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void aLogoIsCheckedStoredAndServedWithCachingHeaders() throws IOException {
    byte[] png = png();
    Response saved = acmeKey.send("PUT", "/api/v1/organizations/children/plumber/portal/logo", png, "image/png");
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    String etag = saved.json().path("etag").asText();
    assertThat(saved.json().path("url").asText()).endsWith("/portal/schmidt/logo?v=" + etag);

    Response logo = anonymous.get("/portal/schmidt/logo?v=" + etag);
    assertThat(logo.status()).isEqualTo(200);
    assertThat(logo.contentType()).isEqualTo("image/png");
    assertThat(logo.header("ETag").orElseThrow()).isEqualTo("\"" + etag + "\"");
    assertThat(logo.header("Cache-Control").orElseThrow()).contains("max-age=86400");
    assertThat(anonymous.get("/portal/schmidt/logo", Map.of("If-None-Match", "\"" + etag + "\"")).status()).isEqualTo(304);
    assertThat(hansPortal.get("/portal/schmidt/").body()).contains("logo?v=" + etag);

    byte[] huge = java.util.Arrays.copyOf(png, 300 * 1024);
    assertThat(acmeKey.send("PUT", "/api/v1/organizations/children/plumber/portal/logo", huge, "image/png").status()).isEqualTo(413);
    Response svg = acmeKey.send("PUT", "/api/v1/organizations/children/plumber/portal/logo",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8), "image/png");
    assertThat(svg.status()).as("the type comes from the bytes").isEqualTo(415);
    assertThat(acmeKey.send("PUT", "/api/v1/organizations/children/plumber/portal/banner", png, "image/png").status()).isEqualTo(404);
    assertThat(otherKey.send("PUT", "/api/v1/organizations/children/plumber/portal/logo", png, "image/png").status()).isEqualTo(404);
    assertThat(anonymous.get("/portal/salon/logo").status()).as("no logo uploaded").isEqualTo(404);
  }

  @Test
  @Order(5)
  void aCustomDomainServesThePortalOnceItsTxtRecordIsSeen() {
    for (String invalid : List.of("127.0.0.1", "localhost", "printer.local", "https://portal.schmidt.test/", "portal.schmidt.test:8443", "nodots")) {
      Response refused = acmeKey.post("/api/v1/organizations/children/plumber/portal/domains", "{\"host\":\"" + invalid + "\"}");
      assertThat(refused.status()).as(invalid).isEqualTo(400);
    }
    Response added = acmeKey.post("/api/v1/organizations/children/plumber/portal/domains", "{\"host\":\"Portal.Schmidt.test\"}");
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    assertThat(added.json().path("host").asText()).isEqualTo("portal.schmidt.test");
    assertThat(added.json().path("status").asText()).isEqualTo("pending");
    String recordName = added.json().path("recordName").asText();
    String recordValue = added.json().path("recordValue").asText();
    assertThat(recordName).isEqualTo("_portal-verification.portal.schmidt.test");
    assertThat(acmeKey.post("/api/v1/organizations/children/salon/portal/domains", "{\"host\":\"portal.schmidt.test\"}").status())
        .as("a host is one portal's").isEqualTo(409);

    assertThat(hansPortal.getForHost("portal.schmidt.test", "/").body()).as("not verified: not a portal").doesNotContain("Schmidt Sanitär");
    Response early = acmeKey.post("/api/v1/organizations/children/plumber/portal/domains/portal.schmidt.test/verification", "");
    assertThat(early.status()).isEqualTo(200);
    assertThat(early.json().path("status").asText()).isEqualTo("pending");
    assertThat(early.json().path("problem").asText()).contains("no TXT record");
    dns.publishTxt(recordName, "v=spf1 -all", "portal-verification=someone-elses");
    assertThat(acmeKey.post("/api/v1/organizations/children/plumber/portal/domains/portal.schmidt.test/verification", "").json()
        .path("problem").asText()).contains("does not hold");
    dns.publishTxt(recordName, "v=spf1 -all", recordValue);
    Response verified = acmeKey.post("/api/v1/organizations/children/plumber/portal/domains/portal.schmidt.test/verification", "");
    assertThat(verified.json().path("status").asText()).as(verified.body()).isEqualTo("verified");

    Response home = hansPortal.getForHost("portal.schmidt.test", "/");
    assertThat(home.status()).as(home.body()).isEqualTo(200);
    assertThat(home.body()).contains("Schmidt Sanitär", "href=\"/conversations\"");
    assertThat(hansPortal.getForHost("portal.schmidt.test", "/conversations/" + plumberSession).status()).isEqualTo(200);
    assertThat(hansPortal.getForHost("portal.schmidt.test", "/conversations/" + salonSession).status()).isEqualTo(404);
    Response door = anonymous.getForHost("portal.schmidt.test", "/conversations");
    assertThat(door.status()).isEqualTo(303);
    assertThat(door.header("location").orElseThrow()).isEqualTo("/sign-in");
    assertThat(hansPortal.getForHost("portal.schmidt.test", "/app").status()).as("only the portal on its domain").isEqualTo(404);
    assertThat(hansPortal.getForHost("portal.schmidt.test", "/portal/salon/").status()).isEqualTo(404);
    assertThat(anonymous.getForHost("portal.schmidt.test", "/app").header("location").orElseThrow()).isEqualTo("/sign-in");
    assertThat(hansPortal.getForHost("portal.schmidt.test", "/api/v1/me").status()).as("the API passes through").isEqualTo(200);
    assertThat(anonymous.get("/portal-domains/check?domain=Portal.Schmidt.test").status()).as("the proxy may get a certificate").isEqualTo(200);
    assertThat(anonymous.get("/portal-domains/check?domain=evil.example").status()).isEqualTo(404);
    assertThat(anonymous.get("/portal-domains/check").status()).isEqualTo(404);

    assertThat(anonymous.post("/portal/schmidt/sign-in", "{\"email\":\"hans@plumber.test\"}").status()).isEqualTo(202);
    assertThat(acmeKey.get("/api/v1/organizations/children/plumber/portal").json().path("domains").get(0).path("status").asText())
        .isEqualTo("verified");
    assertThat(acmeKey.send("DELETE", "/api/v1/organizations/children/plumber/portal/domains/portal.schmidt.test", "").status()).isEqualTo(200);
    assertThat(hansPortal.getForHost("portal.schmidt.test", "/").body()).as("removed: not a portal any more").doesNotContain("Schmidt Sanitär");
    assertThat(anonymous.get("/portal-domains/check?domain=portal.schmidt.test").status()).isEqualTo(404);
  }

  @Test
  @Order(6)
  void theAgencysPeopleOpenTheirClientsPortalsWithoutSigningInAgainAndItIsNoted() {
    Response home = anna.get("/portal/schmidt/");
    assertThat(home.status()).as(home.body()).isEqualTo(200);
    assertThat(home.body()).contains("id=\"portal-switch\"", "/portal/salon/", "/portal/schmidt/");
    assertThat(anna.get("/portal/salon/conversations/" + salonSession).status()).isEqualTo(200);
    anna.get("/portal/schmidt/conversations");
    JsonNode openings = acmeKey.get("/api/v1/organizations/children/plumber/portal").json().path("openedByAgency");
    assertThat(openings).as("once per session").hasSize(1);
    assertThat(openings.get(0).path("name").asText()).isEqualTo("anna");
    assertThat(hansPortal.get("/portal/schmidt/").body()).as("a client does not switch").doesNotContain("portal-switch");
    assertThat(anna.get("/portal/bakery/").status()).as("another agency's client").isEqualTo(303);

    assertThat(acmeKey.send("PUT", "/api/v1/organizations/children/plumber/portal", "{\"enabled\":false}").status()).isEqualTo(200);
    assertThat(hansPortal.get("/portal/schmidt/").status()).as("closed").isEqualTo(404);
    assertThat(anna.get("/portal/salon/").body()).doesNotContain("/portal/schmidt/");
    assertThat(acmeKey.send("PUT", "/api/v1/organizations/children/plumber/portal", "{\"enabled\":true}").status()).isEqualTo(200);
  }

  @Test
  @Order(7)
  void theAgentBooksAFreeSlotTheNextCustomerHearsTheNearestAndThePlumberMovesItAndSubscribesToTheFeed() {
    String availability = "{\"timeZone\":\"Europe/Berlin\",\"hours\":{\"monday\":[\"00:00-24:00\"],\"tuesday\":[\"00:00-24:00\"],"
        + "\"wednesday\":[\"00:00-24:00\"],\"thursday\":[\"00:00-24:00\"],\"friday\":[\"00:00-24:00\"],\"saturday\":[\"00:00-24:00\"],"
        + "\"sunday\":[\"00:00-24:00\"]},\"slotMinutes\":30,\"bufferMinutes\":0,\"closedDates\":[],"
        + "\"services\":{\"boiler service\":60},\"defaultServiceMinutes\":30,\"minNoticeMinutes\":60,\"horizonDays\":30,"
        + "\"reminderHoursBefore\":24}";
    assertThat(acmeKey.send("PUT", "/api/v1/availability?orgId=plumber", "{\"timeZone\":\"Mars/Base\"}").status()).isEqualTo(400);
    assertThat(otherKey.send("PUT", "/api/v1/availability?orgId=plumber", availability).status()).as("another agency's client").isEqualTo(404);
    Response set = acmeKey.send("PUT", "/api/v1/availability?orgId=plumber", availability);
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(hansApi().get("/api/v1/availability").json().path("availability").path("slotMinutes").asInt()).isEqualTo(30);
    operator.post("/admin/agents", "{\"agentId\":\"plumber-booker\",\"orgId\":\"plumber\",\"name\":\"Booker\","
        + "\"tools\":[\"book_appointment\"],\"autonomy\":\"autonomous\",\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}}");

    java.time.ZonedDateTime start = java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Berlin")).plusDays(3)
        .withHour(10).withMinute(0).withSecond(0).withNano(0);
    String local = start.toLocalDateTime().toString().replace('T', ' ').substring(0, 16);
    customerWrites("booker-1", "+491511111111", "Please book the boiler service for " + local);
    eventually(() -> assertThat(conversationText("+491511111111")).contains("Booked: boiler service on"));
    customerWrites("booker-2", "+491522222222", "Same time for me please: " + local);
    eventually(() -> assertThat(conversationText("+491522222222")).contains("Not booked: that time is not free", "nearest free times"));

    JsonNode listed = hansApi().get("/api/v1/appointments?from=" + start.minusDays(1).toInstant() + "&to=" + start.plusDays(1).toInstant())
        .json().path("appointments");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("start").asText()).isEqualTo(start.toInstant().toString());
    assertThat(listed.get(0).path("status").asText()).isEqualTo("booked");
    String bookingId = listed.get(0).path("bookingId").asText();
    assertThat(acmeKey.get("/api/v1/appointments?orgId=salon").json().path("appointments")).isEmpty();
    assertThat(otherKey.send("PATCH", "/api/v1/appointments/" + bookingId, "{\"action\":\"confirm\"}").status())
        .as("another agency cannot touch it").isEqualTo(404);
    Response salonOwner = mail.invite(acmeKey, "sara2@salon.test", "client_owner", "salon")
        .send("PATCH", "/api/v1/appointments/" + bookingId, "{\"action\":\"confirm\"}");
    assertThat(salonOwner.status()).as("another client cannot either").isEqualTo(404);

    String later = start.plusHours(3).toLocalDateTime().toString().replace('T', ' ').substring(0, 16);
    Response moved = hansApi().send("PATCH", "/api/v1/appointments/" + bookingId, "{\"action\":\"reschedule\",\"time\":\"" + later + "\"}");
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.json().path("start").asText()).isEqualTo(start.plusHours(3).toInstant().toString());
    assertThat(hansApi().send("PATCH", "/api/v1/appointments/" + bookingId, "{\"action\":\"teleport\"}").status()).isEqualTo(400);
    assertThat(hansApi().send("PATCH", "/api/v1/appointments/" + bookingId, "{\"action\":\"confirm\"}").json().path("status").asText())
        .isEqualTo("confirmed");

    Response feed = hansApi().post("/api/v1/calendar-feed", "{}");
    assertThat(feed.status()).as(feed.body()).isEqualTo(201);
    String url = feed.json().path("url").asText();
    String path = url.substring(url.indexOf("/calendar-feeds/"));
    eventually(() -> assertThat(anonymous.get(path).body()).contains("STATUS:CONFIRMED"));
    Response ics = anonymous.get(path);
    assertThat(ics.contentType()).startsWith("text/calendar");
    assertThat(ics.body()).startsWith("BEGIN:VCALENDAR\r\n").contains("X-WR-CALNAME:Schmidt Sanitär",
        "UID:" + bookingId + "@appointments", "DTSTART:" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC).format(start.plusHours(3).toInstant()), "SUMMARY:boiler service – +491511111111");
    assertThat(ics.body().lines().toList()).allSatisfy(line -> assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75));
    assertThat(ics.body().toLowerCase(Locale.ROOT)).doesNotContain("layercake", "acme");
    assertThat(hansApi().post("/api/v1/calendar-feed", "{}").status()).isEqualTo(201);
    assertThat(anonymous.get(path).status()).as("a new feed URL retires the old one").isEqualTo(404);

    String week = hansPortal.get("/portal/schmidt/bookings?week=" + start.toLocalDate()).body();
    assertThat(week).contains("data-booking-id=\"" + bookingId + "\"", "13:00–14:00", "boiler service", "confirmed",
        "value=\"" + start.plusHours(3).toLocalDateTime().toString().substring(0, 16) + "\"");
    assertThat(hansPortal.get("/portal/schmidt/bookings?day=" + start.plusDays(1).toLocalDate()).body()).doesNotContain(bookingId);
    assertThat(hansPortal.get("/portal/schmidt/settings").body()).contains("value=\"00:00-24:00\"", "boiler service = 60");
    assertThat(anna.get("/portal/salon/bookings?week=" + start.toLocalDate()).body()).as("the salon's calendar is its own")
        .doesNotContain(bookingId).contains("Set your opening hours");
  }

  @Test
  @Order(8)
  void thePlumberWritesAnInvoiceSendsItsLinkThroughTheConversationAndMarksItPaid() throws IOException {
    String body = "{\"contactName\":\"Jana Krüger\",\"contactKey\":\"customer-of-plumber\",\"sessionId\":\"" + plumberSession + "\","
        + "\"currency\":\"EUR\",\"vatRateBasisPoints\":1900,\"lines\":[{\"description\":\"Boiler service\",\"quantity\":1,"
        + "\"unitCents\":8900},{\"description\":\"Seal kit\",\"quantity\":2,\"unitCents\":450}]}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Response created = hansApi().post("/api/v1/invoices", bytes, Map.of("Idempotency-Key", "invoice-1"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(hansApi().post("/api/v1/invoices", bytes, Map.of("Idempotency-Key", "invoice-1")).json().path("invoiceId").asText())
        .as("a retry is the same invoice").isEqualTo(created.json().path("invoiceId").asText());
    JsonNode invoice = created.json();
    assertThat(invoice.path("number").asText()).isEqualTo("0001");
    assertThat(invoice.path("totalCents").asLong()).isEqualTo(11_662);
    assertThat(invoice.path("status").asText()).isEqualTo("draft");
    String invoiceId = invoice.path("invoiceId").asText();
    String link = invoice.path("url").asText().substring(invoice.path("url").asText().indexOf("/invoice-links/"));
    assertThat(anonymous.get(link).status()).as("a draft is not shown to anyone yet").isEqualTo(404);
    assertThat(hansApi().post("/api/v1/invoices", "{\"contactName\":\"\",\"currency\":\"EUR\",\"lines\":[]}").status()).isEqualTo(400);
    assertThat(otherKey.get("/api/v1/invoices/" + invoiceId).status()).as("another agency").isEqualTo(404);
    assertThat(acmeKey.get("/api/v1/invoices?orgId=salon").json().path("invoices")).isEmpty();

    Response sent = hansApi().send("PATCH", "/api/v1/invoices/" + invoiceId, "{\"action\":\"send\"}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.json().path("status").asText()).isEqualTo("sent");
    eventually(() -> assertThat(acmeKey.get("/api/v1/conversations/" + plumberSession + "/messages?orgId=plumber").body())
        .contains("Your invoice 0001 from Schmidt Sanitär (116.62 EUR): http", link));
    Response pdf = anonymous.get(link);
    assertThat(pdf.status()).isEqualTo(200);
    assertThat(pdf.contentType()).isEqualTo("application/pdf");
    assertThat(hansApi().get("/api/v1/invoices/" + invoiceId + "/pdf").contentType()).isEqualTo("application/pdf");

    assertThat(hansApi().send("PATCH", "/api/v1/invoices/" + invoiceId, "{\"action\":\"mark_paid\"}").json().path("status").asText())
        .isEqualTo("paid");
    assertThat(hansApi().send("PATCH", "/api/v1/invoices/" + invoiceId, "{\"action\":\"void\"}").status()).isEqualTo(409);
    assertThat(hansApi().send("PATCH", "/api/v1/invoices/" + invoiceId, "{\"action\":\"refund\"}").status()).isEqualTo(400);
    assertThat(hansApi().get("/api/v1/invoices").json().path("invoices").get(0).path("paidAt").isNull()).isFalse();
  }

  @Test
  @Order(9)
  void oneCustomerOnWhatsAppSmsAndWebchatIsOneContactWithNotesTagsAndACsvExport() {
    operator.post("/admin/agents", "{\"agentId\":\"plumber-leads\",\"orgId\":\"plumber\",\"name\":\"Leads\","
        + "\"tools\":[\"capture_lead\"],\"autonomy\":\"autonomous\",\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}}");
    for (String[] message : List.of(new String[] {"whatsapp", "31612345678", "wa-1", "Hello from WhatsApp"},
        new String[] {"sms", "+31612345678", "sms-1", "Hello by text"},
        new String[] {"webchat", "v_chat1", "web-1", "Call me back, my number is +31 6 1234 5678"})) {
      Response inbound = operator.post("/admin/conversations/inbound", "{\"orgId\":\"plumber\",\"agentId\":\"plumber-leads\","
          + "\"channel\":\"" + message[0] + "\",\"contact\":\"" + message[1] + "\",\"messageId\":\"" + message[2] + "\","
          + "\"text\":\"" + message[3] + "\"}");
      assertThat(inbound.status()).as(inbound.body()).isEqualTo(202);
    }
    eventually(() -> {
      JsonNode contact = hansApi().get("/api/v1/contacts?q=%2B31612345678").json().path("contacts");
      assertThat(contact).hasSize(1);
      assertThat(contact.get(0).path("key").asText()).isEqualTo("+31612345678");
      assertThat(contact.get(0).path("channels").toString()).contains("whatsapp", "sms", "webchat");
      assertThat(contact.get(0).path("conversations").asInt()).isEqualTo(3);
      assertThat(contact.get(0).path("leads").asInt()).isEqualTo(1);
      assertThat(contact.get(0).path("name").asText()).isEqualTo("Jana Krüger");
    });
    String key = "%2B31612345678";
    Response noted = hansApi().post("/api/v1/contacts/" + key + "/notes", "{\"text\":\"Prefers a call after 5 pm.\"}");
    assertThat(noted.status()).as(noted.body()).isEqualTo(201);
    assertThat(noted.json().path("notes").get(0).path("text").asText()).isEqualTo("Prefers a call after 5 pm.");
    Response tagged = hansApi().send("PUT", "/api/v1/contacts/" + key + "/tags", "{\"tags\":[\"regular\",\"tap\"]}");
    assertThat(tagged.json().path("tags").toString()).isEqualTo("[\"regular\",\"tap\"]");
    assertThat(hansApi().send("PUT", "/api/v1/contacts/" + key + "/tags", "{\"tags\":[\"=cmd()\"]}").status()).isEqualTo(400);
    assertThat(hansApi().get("/api/v1/contacts?q=regular").json().path("contacts")).hasSize(1);
    JsonNode one = hansApi().get("/api/v1/contacts/" + key).json();
    assertThat(one.path("conversations").findValuesAsText("channel")).containsExactlyInAnyOrder("whatsapp", "sms", "webchat");
    assertThat(one.path("phones").toString()).isEqualTo("[\"+31612345678\"]");

    Response csv = hansApi().get("/api/v1/contacts.csv");
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body()).startsWith("\"key\",\"name\",").contains("\"+31612345678\",\"Jana Krüger\"", "\"regular tap\"");
    assertThat(acmeKey.get("/api/v1/contacts?orgId=salon").body()).doesNotContain("31612345678");
    assertThat(otherKey.get("/api/v1/contacts/" + key + "?orgId=plumber").status()).isEqualTo(404);
    assertThat(sara().get("/api/v1/contacts/" + key).status()).as("the salon's owner").isEqualTo(404);
    assertThat(hansPortal.get("/portal/schmidt/contacts?q=regular").body()).contains("Jana Krüger", "+31612345678", "whatsapp", "sms",
        "webchat");
    assertThat(hansPortal.get("/portal/schmidt/contacts?key=" + key).body()).contains("Prefers a call after 5 pm.", "a leaking tap",
        "data-api-path=\"/contacts/%2B31612345678/notes\"");
    assertThat(hansPortal.get("/portal/schmidt/contacts?key=%2B4900000000").status()).isEqualTo(404);
    assertThat(anna.get("/portal/salon/contacts").body()).doesNotContain("31612345678");
  }

  @Test
  @Order(10)
  void theAgencysPageForAClientsPortalShowsItsAddressDomainsAndWhoOpenedIt() {
    Response page = anna.get("/app/clients/plumber/portal");
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("Portal of Schmidt Sanitär", "value=\"schmidt\"", "/portal/schmidt/", "anna");
    assertThat(anna.get("/app/clients/bakery/portal").status()).as("another agency's client").isEqualTo(303);
    assertThat(hansPortal.get("/app/clients/plumber/portal").status()).as("not for the client").isEqualTo(303);
  }

  @Test
  @Order(11)
  void thePlumberReadsAndAddsItsOwnKnowledgeAndNotAnotherClients() {
    Response added = hansApi().post("/api/v1/knowledge/documents",
        "{\"title\":\"Prices\",\"tags\":[\"prices\"],\"mimeType\":\"text/markdown\",\"text\":\"Call-out: EUR 65.\"}");
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    String documentId = added.json().path("id").asText();
    Response salonDocument = sara().post("/api/v1/knowledge/documents",
        "{\"title\":\"Salon prices\",\"tags\":[],\"mimeType\":\"text/markdown\",\"text\":\"Cut: EUR 30.\"}");
    assertThat(salonDocument.status()).as(salonDocument.body()).isEqualTo(201);
    assertThat(hansPortal.get("/portal/schmidt/knowledge").body()).contains("Prices", "prices", "ready").doesNotContain("Salon prices");
    assertThat(hansPortal.get("/portal/schmidt/knowledge?document=" + documentId).body()).contains("Call-out: EUR 65.", "edit-document");
    assertThat(hansPortal.get("/portal/schmidt/knowledge?document=" + salonDocument.json().path("id").asText()).status())
        .as("another client's document").isEqualTo(404);
  }

  @Test
  @Order(12)
  void thePlumberInvitesItsTeamIntoThePortalInItsOwnNameAndChoosesWhoHearsOfHandOffs() {
    Response team = hansPortal.get("/portal/schmidt/team");
    assertThat(team.status()).as(team.body()).isEqualTo(200);
    assertThat(team.body()).contains("hans@plumber.test", "id=\"invite-form\"", "Owner");
    Response invited = hansApi().post("/api/v1/invitations", "{\"email\":\"gesa@plumber.test\",\"role\":\"client_member\",\"orgId\":\"plumber\"}");
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);

    MimeMessage invitation = TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      List<MimeMessage> found = mail.received("gesa@plumber.test");
      assertThat(found).hasSize(1);
      return found.get(0);
    });
    assertThat(MailedSignIn.subject(invitation)).isEqualTo("You are invited to Schmidt Sanitär");
    String text = MailedSignIn.text(invitation);
    assertThat(text).contains("as a team member");
    assertThat(text.toLowerCase(Locale.ROOT)).as("white label: the invitation names the portal only").doesNotContain("layercake", "acme");
    Matcher link = PORTAL_LINK.matcher(text);
    assertThat(link.find()).as(text).isTrue();
    assertThat(link.group(2)).as("into the portal, not the agency's app").isEqualTo("/portal/schmidt");
    assertThat(anonymous.get("/portal/schmidt/sign-in/link?token=" + link.group(3)).body()).contains("Your name");
    Response started = anonymous.postForm("/auth/session", Map.of("token", link.group(3), "name", "Gesa", "next", "/portal/schmidt/"));
    assertThat(started.status()).as(started.body()).isEqualTo(303);
    Matcher cookie = COOKIE.matcher(started.header("Set-Cookie").orElseThrow());
    assertThat(cookie.find()).isTrue();
    HttpTestClient gesa = anonymous.withHeaders(Map.of("Cookie", "layercake_session=" + cookie.group(1)));
    String gesaId = gesa.get("/api/v1/me").json().path("user").path("userId").asText();
    HttpTestClient gesaApi = gesa.withHeaders(Map.of("Layercake-Organization", "plumber",
        "X-CSRF-Token", gesa.get("/api/v1/me").json().path("csrfToken").asText()));
    assertThat(gesa.get("/portal/schmidt/team").body()).as("a team member sees the team but does not manage it")
        .contains("Gesa", "Team member").doesNotContain("id=\"invite-form\"");
    assertThat(hansPortal.get("/portal/schmidt/team").body()).contains("Gesa", "id=\"role-" + gesaId + "\"");

    assertThat(hansApi().get("/api/v1/handoff-contacts").json().path("contacts")).as("nobody chosen: everyone hears").isEmpty();
    assertThat(hansApi().send("PUT", "/api/v1/handoff-contacts", "{\"userIds\":[\"u_nobody\"]}").status()).isEqualTo(400);
    assertThat(hansApi().send("PUT", "/api/v1/handoff-contacts", "{}").status()).isEqualTo(400);
    Response forbidden = gesaApi.send("PUT", "/api/v1/handoff-contacts", "{\"userIds\":[\"" + gesaId + "\"]}");
    assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
    assertThat(sara().get("/api/v1/handoff-contacts?orgId=plumber").status()).as("another client's").isEqualTo(404);
    Response chosen = hansApi().send("PUT", "/api/v1/handoff-contacts", "{\"userIds\":[\"" + gesaId + "\"]}");
    assertThat(chosen.status()).as(chosen.body()).isEqualTo(200);
    assertThat(chosen.json().path("contacts").get(0).path("name").asText()).isEqualTo("Gesa");
    assertThat(hansPortal.get("/portal/schmidt/settings").body()).contains("id=\"handoff-form\"", "id=\"my-notifications\"")
        .containsPattern("value=\"" + gesaId + "\" checked");

    long hansBefore = handOffsFor(hansPortal);
    long annaBefore = handOffsFor(anna);
    Response inbound = operator.post("/admin/conversations/inbound", "{\"orgId\":\"plumber\",\"agentId\":\"plumber-bot\",\"channel\":\"test\","
        + "\"contact\":\"needs-a-person\",\"messageId\":\"m-needs-a-person\",\"text\":\"Hello\"}");
    assertThat(inbound.status()).as(inbound.body()).isEqualTo(202);
    String sessionId = new SessionKey("plumber-bot", "test", "needs-a-person").sessionId();
    eventually(() -> assertThat(operator.send("PATCH", "/admin/conversations/" + sessionId,
        "{\"action\":\"hand_off\",\"by\":\"team\",\"reason\":\"The customer asked for a person.\"}").status()).isEqualTo(200));
    eventually(() -> assertThat(handOffsFor(gesa)).as("the chosen contact hears of it").isEqualTo(1));
    eventually(() -> assertThat(handOffsFor(anna)).as("the agency hears of it as it chose").isEqualTo(annaBefore + 1));
    assertThat(handOffsFor(hansPortal)).as("the owner was not chosen").isEqualTo(hansBefore);
  }

  @Test
  @Order(13)
  void aWebchatVisitorsNotesAndTagsFollowItWhenItLaterGivesItsPhone() {
    String visitor = "webchat%3Av_chat2";
    Response first = operator.post("/admin/conversations/inbound", "{\"orgId\":\"plumber\",\"agentId\":\"plumber-leads\","
        + "\"channel\":\"webchat\",\"contact\":\"v_chat2\",\"messageId\":\"web-2a\",\"text\":\"Do you do bathrooms?\"}");
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    eventually(() -> assertThat(hansApi().get("/api/v1/contacts/" + visitor).status()).isEqualTo(200));
    assertThat(hansApi().post("/api/v1/contacts/" + visitor + "/notes", "{\"text\":\"Asked about a bathroom.\"}").status()).isEqualTo(201);
    assertThat(hansApi().send("PUT", "/api/v1/contacts/" + visitor + "/tags", "{\"tags\":[\"bathroom\"]}").status()).isEqualTo(200);

    Response second = operator.post("/admin/conversations/inbound", "{\"orgId\":\"plumber\",\"agentId\":\"plumber-leads\","
        + "\"channel\":\"webchat\",\"contact\":\"v_chat2\",\"messageId\":\"web-2b\",\"text\":\"Call me, my number is +49 151 2345678\"}");
    assertThat(second.status()).as(second.body()).isEqualTo(202);
    String phone = "%2B491512345678";
    eventually(() -> assertThat(hansApi().get("/api/v1/contacts/" + phone).status()).as("the phone is its key now").isEqualTo(200));
    JsonNode joined = hansApi().get("/api/v1/contacts/" + phone).json();
    assertThat(joined.path("notes").findValuesAsText("text")).as("the note followed it").containsExactly("Asked about a bathroom.");
    assertThat(joined.path("tags").toString()).isEqualTo("[\"bathroom\"]");
    Response retagged = hansApi().send("PUT", "/api/v1/contacts/" + phone + "/tags", "{\"tags\":[\"vip\"]}");
    assertThat(retagged.json().path("tags").toString()).as("replaced under every key it had").isEqualTo("[\"vip\"]");
    assertThat(hansApi().get("/api/v1/contacts?q=bathroom").json().path("contacts")).isEmpty();
  }

  /** How many hand-offs the person was told of (a burst joins one notification, counted by its occurrences). */
  private static long handOffsFor(HttpTestClient person) {
    JsonNode all = person.get("/api/v1/notifications").json().path("notifications");
    return java.util.stream.StreamSupport.stream(all.spliterator(), false)
        .filter(notification -> notification.path("type").asText().equals("conversation.handed_off"))
        .mapToLong(notification -> notification.path("occurrences").asLong()).sum();
  }

  // ---- helpers ----

  /** Asks the portal for a link, follows the emailed one through the portal's page and its form, and carries the cookie. */
  private static HttpTestClient signInThroughPortal(String portal, String email, String portalName) {
    Response asked = anonymous.post(portal + "/sign-in", "{\"email\":\"" + email + "\"}");
    assertThat(asked.status()).as(asked.body()).isEqualTo(202);
    MimeMessage message = TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      List<MimeMessage> links = mail.received(email).stream()
          .filter(found -> MailedSignIn.subject(found).equals("Your sign-in link for " + portalName)).toList();
      assertThat(links).isNotEmpty();
      return links.get(links.size() - 1);
    });
    String text = MailedSignIn.text(message);
    assertThat(text.toLowerCase(Locale.ROOT)).as("the email names the portal only").doesNotContain("layercake", "acme");
    Matcher link = PORTAL_LINK.matcher(text);
    assertThat(link.find()).as(text).isTrue();
    assertThat(link.group(2)).isEqualTo(portal);
    Response page = anonymous.get(portal + "/sign-in/link?token=" + link.group(3));
    assertThat(page.body()).contains("value=\"" + link.group(3) + "\"", "value=\"" + portal + "/\"");
    Response started = anonymous.postForm("/auth/session", Map.of("token", link.group(3), "next", portal + "/"));
    assertThat(started.status()).as(started.body()).isEqualTo(303);
    assertThat(started.header("Location").orElseThrow()).isEqualTo(portal + "/");
    Matcher cookie = COOKIE.matcher(started.header("Set-Cookie").orElseThrow());
    assertThat(cookie.find()).isTrue();
    return anonymous.withHeaders(Map.of("Cookie", "layercake_session=" + cookie.group(1)));
  }

  private static HttpTestClient saraClient;

  private static HttpTestClient sara() {
    if (saraClient == null) {
      saraClient = mail.invite(acmeKey, "sara3@salon.test", "client_owner", "salon");
    }
    return saraClient;
  }

  /** Hans through the API, as the portal's pages call it: cookie, CSRF token, his organization. */
  private static HttpTestClient hansApi() {
    return hansPortal.withHeaders(Map.of("Layercake-Organization", "plumber",
        "X-CSRF-Token", hansPortal.get("/api/v1/me").json().path("csrfToken").asText()));
  }

  private static void customerWrites(String messageId, String contact, String text) {
    Response inbound = operator.post("/admin/conversations/inbound", "{\"orgId\":\"plumber\",\"agentId\":\"plumber-booker\","
        + "\"channel\":\"test\",\"contact\":\"" + contact + "\",\"messageId\":\"" + messageId + "\",\"text\":\"" + text + "\"}");
    assertThat(inbound.status()).as(inbound.body()).isEqualTo(202);
  }

  private static String conversationText(String contact) {
    String sessionId = new SessionKey("plumber-booker", "test", contact).sessionId();
    return acmeKey.get("/api/v1/conversations/" + sessionId + "/messages?orgId=plumber").body();
  }

  /**
   * An OpenAI-compatible model: asked to book (a date and time in the message), it calls
   * book_appointment for the boiler service at that time; given the tool's result, it says it.
   */
  private static io.layercake.http.testing.StubProvider.Response completion(io.layercake.http.testing.StubProvider.Request request) {
    try {
      JsonNode messages = JSON.readTree(request.body()).path("messages");
      JsonNode last = messages.get(messages.size() - 1);
      com.fasterxml.jackson.databind.node.ObjectNode message = JSON.createObjectNode().put("role", "assistant");
      String finish = "stop";
      Matcher time = REQUESTED_TIME.matcher(last.path("content").asText());
      Matcher number = Pattern.compile("my number is ([+0-9 ]+)").matcher(last.path("content").asText());
      if ("tool".equals(last.path("role").asText())) {
        message.put("content", last.path("content").asText());
      } else if ("user".equals(last.path("role").asText()) && number.find()) {
        finish = "tool_calls";
        message.putNull("content");
        com.fasterxml.jackson.databind.node.ObjectNode call = message.putArray("tool_calls").addObject()
            .put("id", "call-lead").put("type", "function");
        call.putObject("function").put("name", "capture_lead").put("arguments", JSON.createObjectNode().put("name", "Jana Krüger")
            .put("phone", number.group(1).strip()).put("need", "a leaking tap").toString());
      } else if ("user".equals(last.path("role").asText()) && time.find()) {
        finish = "tool_calls";
        message.putNull("content");
        com.fasterxml.jackson.databind.node.ObjectNode call = message.putArray("tool_calls").addObject()
            .put("id", "call-" + Math.abs(last.path("content").asText().hashCode())).put("type", "function");
        call.putObject("function").put("name", "book_appointment")
            .put("arguments", JSON.createObjectNode().put("requested_time", time.group()).put("service", "boiler service").toString());
      } else {
        message.put("content", "How can I help?");
      }
      com.fasterxml.jackson.databind.node.ObjectNode answer = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
          .put("created", 0).put("model", "stub");
      answer.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).set("message", message);
      answer.putObject("usage").put("prompt_tokens", 40).put("completion_tokens", 6).put("total_tokens", 46);
      return io.layercake.http.testing.StubProvider.Response.json(200, answer.toString());
    } catch (IOException e) {
      return io.layercake.http.testing.StubProvider.Response.json(400, "{\"error\":{\"message\":\"" + e.getMessage() + "\"}}");
    }
  }

  private static long figure(String page, String id) {
    Matcher found = Pattern.compile("id=\"" + id + "\"[^>]*>\\s*(?:<a [^>]*>)?<span class=\"figure\">(\\d+)</span>").matcher(page);
    assertThat(found.find()).as(id + " in " + page).isTrue();
    return Long.parseLong(found.group(1));
  }

  private static byte[] png() throws IOException {
    BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0x0b3d91);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }

  private static void eventually(Runnable assertion) {
    TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }
}
