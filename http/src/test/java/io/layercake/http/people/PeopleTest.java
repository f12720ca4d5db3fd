package io.layercake.http.people;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.layercake.config.AdminSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.EmailSettings;
import io.layercake.config.PeopleSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.session.SessionKey;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * People end to end on a real node with a real SMTP server (GreenMail): invitations and sign-in
 * links read from the received mail, session cookies and CSRF, the rate limit, every role against
 * every operation of /api/v1, tenant isolation for people, removal, portal tokens verified
 * through the published JWKS, and an undeliverable email reported to the operator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeopleTest {
  private static final String TOKEN = "operator-token-for-people-tests";
  private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/(?:auth|portal/[^/\\s]+/sign-in)/link\\?token=([A-Za-z0-9_-]+)");
  private static final Pattern COOKIE = Pattern.compile("layercake_session=([A-Za-z0-9_-]+)");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static GreenMail smtp;
  private static LayercakeNode node;
  private static HttpTestClient anonymous;
  private static HttpTestClient operator;
  private static HttpTestClient acmeKey;
  private static HttpTestClient otherKey;
  private static final Map<Role, HttpTestClient> people = new EnumMap<>(Role.class);
  private static final Map<Role, String> userIds = new EnumMap<>(Role.class);
  private static String salonSession;
  private static final Map<HttpTestClient, String> cookies = new java.util.IdentityHashMap<>();

  @BeforeAll
  static void start(@TempDir Path dir) {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    EmailSettings email = new EmailSettings("127.0.0.1", smtp.getSmtp().getPort(), EmailSettings.Security.NONE, "", Secret.of(""),
        "Layercake <no-reply@layercake.test>", 1);
    PeopleSettings defaults = PeopleSettings.defaults();
    PeopleSettings settings = new PeopleSettings(defaults.linkLifetime(), defaults.sessionIdle(), defaults.sessionAbsolute(),
        defaults.invitationLifetime(), 3, 10, Duration.ofSeconds(3), "root@platform.test", email, defaults.notifications());
    node = LayercakeNode.start(TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN))).withPeople(settings));
    anonymous = HttpTestClient.to(node.address());
    operator = anonymous.withBearer(TOKEN);
    String all = Scopes.ALL.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    for (String agency : List.of("acme", "other")) {
      operator.post("/admin/organizations", "{\"id\":\"" + agency + "\",\"name\":\"" + agency + "\",\"tier\":\"agency\"}");
      operator.post("/admin/organizations/" + agency + "/purchases", "{\"idempotencyKey\":\"cs_" + agency + "\",\"credits\":100}");
    }
    acmeKey = anonymous.withBearer(operator.post("/admin/organizations/acme/api-keys", "{\"name\":\"acme\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    otherKey = anonymous.withBearer(operator.post("/admin/organizations/other/api-keys", "{\"name\":\"other\",\"scopes\":" + all + "}")
        .json().path("key").asText());
    assertThat(acmeKey.post("/api/v1/organizations/children", "{\"id\":\"plumber\",\"name\":\"Plumber\"}").status()).isEqualTo(201);
    assertThat(acmeKey.post("/api/v1/organizations/children", "{\"id\":\"salon\",\"name\":\"Salon\"}").status()).isEqualTo(201);
    assertThat(otherKey.post("/api/v1/organizations/children", "{\"id\":\"other-client\",\"name\":\"Other\"}").status()).isEqualTo(201);
    for (String client : List.of("plumber", "salon")) {
      operator.post("/admin/agents", "{\"agentId\":\"" + client + "-bot\",\"orgId\":\"" + client + "\",\"name\":\"Bot\"}");
      operator.post("/admin/conversations/inbound", "{\"orgId\":\"" + client + "\",\"agentId\":\"" + client + "-bot\",\"channel\":\"test\","
          + "\"contact\":\"visitor\",\"messageId\":\"m-" + client + "\",\"text\":\"Hello\"}");
    }
    salonSession = new SessionKey("salon-bot", "test", "visitor").sessionId();
    eventually(() -> assertThat(acmeKey.get("/api/v1/conversations").json().path("conversations")).hasSize(2));
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
    smtp.stop();
  }

  @Test
  @Order(1)
  void anInvitationEmailSignsThePersonInOnceWithAnHttpOnlyLaxCookie() throws Exception {
    Response invited = acmeKey.post("/api/v1/invitations", "{\"email\":\"Anna@Acme.test\",\"role\":\"owner\"}");
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    assertThat(invited.json().path("status").asText()).isEqualTo("pending");
    String token = linkTokenFor("anna@acme.test", "invited");

    Response page = anonymous.get("/auth/link?token=" + token);
    assertThat(page.body()).contains("<form method=\"post\" action=\"/auth/session\"", token);
    Response started = anonymous.post("/auth/session", "{\"token\":\"" + token + "\",\"name\":\"Anna Acme\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String setCookie = started.header("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");
    assertThat(anonymous.post("/auth/session", "{\"token\":\"" + token + "\"}").errorCode()).as("used once").isEqualTo("invalid_link");
    assertThat(anonymous.post("/auth/session", "{\"token\":\"forged" + token.substring(6) + "\"}").status()).isEqualTo(401);

    HttpTestClient anna = signedIn(started);
    Response me = anna.get("/api/v1/me");
    assertThat(me.json().path("user").path("name").asText()).isEqualTo("Anna Acme");
    assertThat(me.json().path("orgId").asText()).isEqualTo("acme");
    assertThat(me.json().path("role").asText()).isEqualTo("owner");
    assertThat(me.json().path("organizations").findValuesAsText("orgId")).containsExactlyInAnyOrder("acme", "plumber", "salon");
    people.put(Role.OWNER, anna);
    userIds.put(Role.OWNER, me.json().path("user").path("userId").asText());
  }

  @Test
  @Order(2)
  void changesWithTheCookieNeedTheCsrfToken() {
    HttpTestClient anna = people.get(Role.OWNER);
    HttpTestClient withoutToken = cookieOnly(anna);
    Response refused = withoutToken.post("/api/v1/invitations", "{\"email\":\"x@acme.test\",\"role\":\"member\"}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("csrf_token_required");
    assertThat(withoutToken.get("/api/v1/me").status()).as("reads need no token").isEqualTo(200);
    assertThat(anna.get("/api/v1/invitations").json().path("invitations")).hasSize(1);
  }

  @Test
  @Order(3)
  void anInvitationSentTwiceWithOneIdempotencyKeyIsOneInvitationAndOneEmail() throws Exception {
    HttpTestClient once = people.get(Role.OWNER).withHeaders(Map.of("Idempotency-Key", "invite-twice-1"));
    Response first = once.post("/api/v1/invitations", "{\"email\":\"twice@acme.test\",\"role\":\"member\"}");
    Response again = once.post("/api/v1/invitations", "{\"email\":\"twice@acme.test\",\"role\":\"member\"}");
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).contains("true");
    assertThat(again.json().path("invitationId").asText()).isEqualTo(first.json().path("invitationId").asText());
    linkTokenFor("twice@acme.test", "invited");
    assertThat(received("twice@acme.test")).as("one email").hasSize(1);
    Response revoked = people.get(Role.OWNER).send("DELETE", "/api/v1/invitations/" + first.json().path("invitationId").asText(), "");
    assertThat(revoked.status()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void aSignInLinkIsAskedForByEmailTheSameWayForUnknownAddressesAndRateLimited() throws Exception {
    Response known = anonymous.post("/auth/email-link", "{\"email\":\"anna@acme.test\"}");
    Response unknown = anonymous.post("/auth/email-link", "{\"email\":\"nobody@acme.test\"}");
    assertThat(known.status()).isEqualTo(202);
    assertThat(unknown.status()).isEqualTo(202);
    assertThat(unknown.body()).isEqualTo(known.body().replace("anna@acme.test", "nobody@acme.test"));
    String token = linkTokenFor("anna@acme.test", "sign-in");
    Response started = anonymous.post("/auth/session", ("{\"token\":\"" + token + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Map.of("X-Forwarded-Proto", "https"));
    assertThat(started.status()).isEqualTo(201);
    assertThat(started.header("Set-Cookie").orElseThrow()).as("behind an https proxy").contains("Secure");
    assertThat(signedIn(started).get("/api/v1/sessions").json().path("sessions")).hasSize(2);
    assertThat(received("nobody@acme.test")).as("nothing sent to an unknown address").isEmpty();

    assertThat(anonymous.post("/auth/email-link", "{\"email\":\"not-an-address\"}").status()).isEqualTo(400);
    for (int i = 0; i < 3; i++) {
      assertThat(anonymous.post("/auth/email-link", "{\"email\":\"limited@acme.test\"}").status()).isEqualTo(202);
    }
    Response limited = anonymous.post("/auth/email-link", "{\"email\":\"limited@acme.test\"}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.errorCode()).isEqualTo("rate_limited");
    assertThat(limited.header("Retry-After")).isPresent();

    // one address behind our proxy asking for many accounts: limited per IP (10 a minute here)
    for (int i = 0; i < 10; i++) {
      assertThat(linkRequest("someone-" + i + "@acme.test", "203.0.113.9").status()).isEqualTo(202);
    }
    assertThat(linkRequest("someone-10@acme.test", "203.0.113.9").status()).isEqualTo(429);
    assertThat(linkRequest("someone-10@acme.test", "203.0.113.10").status()).as("another client").isEqualTo(202);
  }

  private static Response linkRequest(String email, String forwardedFor) {
    return anonymous.post("/auth/email-link", ("{\"email\":\"" + email + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Map.of("X-Forwarded-For", forwardedFor));
  }

  @Test
  @Order(5)
  void everyRoleGetsExactlyWhatTheTableGivesOnEveryOperation() throws Exception {
    HttpTestClient anna = people.get(Role.OWNER);
    invite(anna, "admin@acme.test", Role.ADMIN, "acme");
    invite(anna, "member@acme.test", Role.MEMBER, "acme");
    invite(anna, "hans@plumber.test", Role.CLIENT_OWNER, "plumber");
    invite(people.get(Role.CLIENT_OWNER), "gesa@plumber.test", Role.CLIENT_MEMBER, "plumber");
    String root = LINK.matcher(node.bootstrapLink().orElseThrow()).results().findFirst().orElseThrow().group(1);
    HttpTestClient platform = signedIn(anonymous.post("/auth/session", "{\"token\":\"" + root + "\"}"));
    people.put(Role.PLATFORM_ADMIN, platform.withHeaders(Map.of("Layercake-Organization", "acme")));

    List<String> problems = new ArrayList<>();
    for (Map.Entry<Role, HttpTestClient> person : people.entrySet()) {
      for (ApiOperation operation : ApiOperation.values()) {
        if (operation.scope().isEmpty()) {
          continue;
        }
        String url = "/api/v1" + operation.path().text().replaceAll("\\{[^}]+}", "unknown-id");
        Response response = operation.method().equals("GET") ? person.getValue().get(url) : person.getValue().send(operation.method(), url, "{}");
        if (!operation.statuses().contains(response.status())) {
          problems.add(operation.id() + " answered " + response.status() + ", documented " + operation.statuses());
        }
        boolean allowed = person.getKey().scopes().contains(operation.scope().get());
        boolean refused = response.status() == 403 && "missing_scope".equals(response.errorCode());
        if (allowed == refused || response.status() == 401) {
          problems.add(person.getKey().wireName() + " " + operation.id() + ": " + response.status() + " " + response.body());
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(Role.CLIENT_MEMBER.mayGrant(Role.CLIENT_MEMBER)).isFalse();
    Response tooHigh = people.get(Role.ADMIN).post("/api/v1/invitations", "{\"email\":\"boss@acme.test\",\"role\":\"owner\"}");
    assertThat(tooHigh.status()).isEqualTo(403);
    Response wrongLevel = anna.post("/api/v1/invitations", "{\"email\":\"x@acme.test\",\"role\":\"client_owner\"}");
    assertThat(wrongLevel.status()).isEqualTo(400);
  }

  @Test
  @Order(6)
  void aClientUserSeesOnlyTheirOwnOrganization() {
    HttpTestClient hans = people.get(Role.CLIENT_OWNER);
    assertThat(hans.get("/api/v1/me").json().path("organizations").findValuesAsText("orgId")).containsExactly("plumber");
    assertThat(hans.get("/api/v1/conversations").json().path("conversations").findValuesAsText("orgId")).containsOnly("plumber");
    assertThat(hans.get("/api/v1/conversations/" + salonSession).status()).isEqualTo(404);
    assertThat(hans.get("/api/v1/users?orgId=salon").status()).isEqualTo(404);
    assertThat(hans.get("/api/v1/users?orgId=acme").status()).isEqualTo(404);
    for (String elsewhere : List.of("salon", "acme", "other", "other-client", "no-such-org")) {
      Response refused = hans.withHeaders(Map.of("Layercake-Organization", elsewhere)).get("/api/v1/conversations");
      assertThat(refused.status()).as(elsewhere).isEqualTo(403);
      assertThat(refused.errorCode()).isEqualTo("not_a_member");
    }
    HttpTestClient anna = people.get(Role.OWNER);
    assertThat(anna.withHeaders(Map.of("Layercake-Organization", "salon")).get("/api/v1/conversations").json().path("conversations")
        .findValuesAsText("orgId")).as("the agency's owner drills into one client").containsOnly("salon");
    assertThat(anna.withHeaders(Map.of("Layercake-Organization", "other-client")).get("/api/v1/conversations").status()).isEqualTo(403);
    assertThat(people.get(Role.MEMBER).get("/api/v1/users?orgId=other-client").status()).isEqualTo(404);
  }

  @Test
  @Order(7)
  void noRoleReachesAnotherAgencysDataThroughAnyOperation() throws Exception {
    operator.post("/admin/agents", "{\"agentId\":\"other-bot\",\"orgId\":\"other-client\",\"name\":\"Bot\"}");
    operator.post("/admin/conversations/inbound", "{\"orgId\":\"other-client\",\"agentId\":\"other-bot\",\"channel\":\"test\","
        + "\"contact\":\"visitor\",\"messageId\":\"m-other\",\"text\":\"Hello\"}");
    String otherSession = new SessionKey("other-bot", "test", "visitor").sessionId();
    String document = otherKey.post("/api/v1/knowledge/documents", "{\"title\":\"Prices\",\"text\":\"EUR 80\"}").json().path("id").asText();
    String invitation = otherKey.post("/api/v1/invitations", "{\"email\":\"olga@other.test\",\"role\":\"owner\"}")
        .json().path("invitationId").asText();
    HttpTestClient olga = signedIn(anonymous.post("/auth/session", "{\"token\":\"" + linkTokenFor("olga@other.test", "invited") + "\"}"));
    String olgaId = olga.get("/api/v1/me").json().path("user").path("userId").asText();
    Map<String, String> theirs = Map.of(
        "sessionId", otherSession, "agentId", "other-bot", "documentId", document, "childId", "other-client",
        "invitationId", otherKey.post("/api/v1/invitations", "{\"email\":\"oskar@other.test\",\"role\":\"member\"}").json()
            .path("invitationId").asText(),
        "userId", olgaId,
        "keyId", otherKey.get("/api/v1/api-keys").json().path("apiKeys").get(0).path("keyId").asText(),
        "approvalId", otherSession + ":1:approval-1", "subscriptionId", "wh_other");
    assertThat(invitation).isNotBlank();
    Map<String, HttpTestClient> callers = new java.util.LinkedHashMap<>();
    for (Role role : List.of(Role.OWNER, Role.ADMIN, Role.MEMBER, Role.CLIENT_OWNER, Role.CLIENT_MEMBER)) {
      callers.put(role.wireName(), people.get(role));
    }
    callers.put("portal token", anonymous.withBearer(acmeKey.post("/api/v1/auth/token",
        "{\"orgId\":\"plumber\",\"userId\":\"" + userIds.get(Role.CLIENT_OWNER) + "\"}").json().path("token").asText()));

    List<String> leaks = new ArrayList<>();
    int requests = 0;
    for (ApiOperation operation : ApiOperation.values()) {
      boolean aimed = operation.path().text().contains("{")
          || operation.query().stream().anyMatch(parameter -> parameter.name().equals("orgId"));
      if (operation.scope().isEmpty() || !aimed) {
        continue;
      }
      Matcher variables = Pattern.compile("\\{([^}]+)}").matcher(operation.path().text());
      String path = variables.replaceAll(variable -> theirs.getOrDefault(variable.group(1), "unknown"));
      String url = "/api/v1" + path + "?orgId=other-client";
      for (Map.Entry<String, HttpTestClient> caller : callers.entrySet()) {
        Response response = operation.method().equals("GET") ? caller.getValue().get(url)
            : caller.getValue().send(operation.method(), url, "{\"orgId\":\"other-client\",\"name\":\"Mine\",\"text\":\"hijack\"}");
        requests++;
        if (!operation.statuses().contains(response.status())) {
          leaks.add(operation.id() + " answered " + response.status() + ", documented " + operation.statuses() + ": " + response.body());
        }
        // refused, or (a filtered list) answered with nothing of theirs
        boolean answered = response.status() < 400;
        boolean carriesTheirs = theirs.values().stream().anyMatch(id -> !id.equals("unknown") && response.body().contains(id))
            || response.body().contains("other-client");
        if (response.status() >= 500 || (answered && (carriesTheirs || !operation.method().equals("GET")))) {
          leaks.add(caller.getKey() + " " + operation.method() + " " + url + " -> " + response.status() + " " + response.body());
        }
      }
    }
    assertThat(leaks).isEmpty();
    assertThat(requests).as("every aimed operation for six callers").isGreaterThanOrEqualTo(6 * 20);
    assertThat(olga.get("/api/v1/invitations").json().path("invitations")).as("nothing was revoked").hasSize(2);
    assertThat(otherKey.get("/api/v1/knowledge/documents/" + document).status()).as("nothing was deleted").isEqualTo(200);
  }

  @Test
  @Order(8)
  void whatAPersonDoesIsRecordedUnderTheirName() {
    String plumberSession = new SessionKey("plumber-bot", "test", "visitor").sessionId();
    Response sent = people.get(Role.CLIENT_OWNER).post("/api/v1/conversations/" + plumberSession + "/messages",
        "{\"text\":\"Hans here, I will call you.\",\"author\":\"Somebody Else\"}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    eventually(() -> assertThat(acmeKey.get("/api/v1/conversations/" + plumberSession + "/timeline").body())
        .contains("hans (user:" + userIds.get(Role.CLIENT_OWNER) + ")").doesNotContain("Somebody Else"));

    Response changed = people.get(Role.OWNER).send("PUT", "/api/v1/agents/plumber-bot",
        "{\"name\":\"Plumber assistant\",\"greeting\":\"Moin!\"}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(operator.get("/admin/journal/Agent%7Cplumber-bot").body())
        .as("the journal names who changed the agent").contains("\"by\":\"Anna Acme (user:" + userIds.get(Role.OWNER) + ")\"");
  }

  @Test
  @Order(9)
  void invitationsCanBeRevokedRolesChangedAndRemovingAMemberEndsTheirSessions() throws Exception {
    HttpTestClient anna = people.get(Role.OWNER);
    Response invited = anna.post("/api/v1/invitations", "{\"email\":\"late@acme.test\",\"role\":\"member\"}");
    String token = linkTokenFor("late@acme.test", "invited");
    Response revoked = anna.send("DELETE", "/api/v1/invitations/" + invited.json().path("invitationId").asText(), "");
    assertThat(revoked.json().path("status").asText()).isEqualTo("revoked");
    assertThat(anonymous.post("/auth/session", "{\"token\":\"" + token + "\"}").status()).as("a revoked invitation's link").isEqualTo(401);
    assertThat(otherKey.send("DELETE", "/api/v1/invitations/" + invited.json().path("invitationId").asText(), "").status())
        .as("another agency's invitation").isEqualTo(404);

    String admin = userIds.get(Role.ADMIN);
    assertThat(people.get(Role.ADMIN).get("/api/v1/api-keys").status()).isEqualTo(200);
    Response demoted = anna.send("PATCH", "/api/v1/users/" + admin, "{\"role\":\"member\"}");
    assertThat(demoted.json().path("role").asText()).as(demoted.body()).isEqualTo("member");
    assertThat(people.get(Role.ADMIN).get("/api/v1/api-keys").status()).as("a changed role counts at once").isEqualTo(403);
    assertThat(anna.send("PATCH", "/api/v1/users/" + admin, "{\"role\":\"admin\"}").status()).isEqualTo(200);
    assertThat(people.get(Role.ADMIN).send("PATCH", "/api/v1/users/" + userIds.get(Role.MEMBER), "{\"role\":\"owner\"}").status())
        .as("an admin makes nobody owner").isEqualTo(403);
    assertThat(anna.send("PATCH", "/api/v1/users/" + userIds.get(Role.OWNER), "{\"role\":\"admin\"}").errorCode()).isEqualTo("last_owner");
    assertThat(anna.send("PATCH", "/api/v1/users/" + admin, "{\"role\":\"client_owner\"}").status()).isEqualTo(400);

    HttpTestClient member = people.get(Role.MEMBER);
    assertThat(member.get("/api/v1/conversations").status()).isEqualTo(200);
    Response removed = anna.send("DELETE", "/api/v1/users/" + userIds.get(Role.MEMBER), "");
    assertThat(removed.status()).as(removed.body()).isEqualTo(200);
    assertThat(removed.json().path("sessionsEnded").asInt()).isEqualTo(1);
    Response after = member.get("/api/v1/conversations");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.errorCode()).isEqualTo("session_ended");
    assertThat(anna.send("DELETE", "/api/v1/users/" + userIds.get(Role.OWNER), "").errorCode()).isEqualTo("last_owner");
  }

  @Test
  @Order(10)
  void portalTokensVerifyAgainstTheJwksCarryAClientRoleAndExpire() throws Exception {
    String hans = userIds.get(Role.CLIENT_OWNER);
    assertThat(otherKey.post("/api/v1/auth/token", "{\"orgId\":\"plumber\",\"userId\":\"" + hans + "\"}").status())
        .as("another agency's client").isEqualTo(404);
    assertThat(acmeKey.post("/api/v1/auth/token", "{\"orgId\":\"salon\",\"userId\":\"" + hans + "\"}").status())
        .as("not a user of that client").isEqualTo(404);
    Response issued = acmeKey.post("/api/v1/auth/token", "{\"orgId\":\"plumber\",\"userId\":\"" + hans + "\"}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    String token = issued.json().path("token").asText();

    SignedJWT jwt = SignedJWT.parse(token);
    JWKSet keys = JWKSet.parse(anonymous.get("/.well-known/jwks.json").body());
    ECKey key = (ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key.isPrivate()).as("only public halves are published").isFalse();
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(hans);
    assertThat(jwt.getJWTClaimsSet().getStringClaim("org")).isEqualTo("plumber");
    assertThat(jwt.getJWTClaimsSet().getStringClaim("role")).isEqualTo("client_owner");

    HttpTestClient portal = anonymous.withBearer(token);
    assertThat(portal.get("/api/v1/conversations").json().path("conversations").findValuesAsText("orgId")).containsOnly("plumber");
    assertThat(portal.get("/api/v1/conversations/" + salonSession).status()).isEqualTo(404);
    assertThat(portal.get("/api/v1/api-keys").status()).isEqualTo(403);
    String[] parts = token.split("\\.");
    String otherOrg = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
        java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"plumber\"", "\"salon\"").getBytes());
    assertThat(anonymous.withBearer(parts[0] + "." + otherOrg + "." + parts[2]).get("/api/v1/conversations").status())
        .as("a token altered to another organization").isEqualTo(401);
    eventually(() -> assertThat(portal.get("/api/v1/conversations").status()).as("expired after 3 s").isEqualTo(401));
  }

  @Test
  @Order(11)
  void anEmailThatCannotBeDeliveredIsReportedAndNeverBlocksTheRequest() {
    smtp.stop();
    Response invited = people.get(Role.OWNER).post("/api/v1/invitations", "{\"email\":\"unlucky@acme.test\",\"role\":\"member\"}");
    assertThat(invited.status()).isEqualTo(201);
    eventually(() -> assertThat(operator.get("/admin/emails").json().path("undelivered").findValuesAsText("to"))
        .contains("unlucky@acme.test"));
    assertThat(operator.get("/admin/emails").body()).doesNotContain("token=");
  }

  private static void invite(HttpTestClient inviter, String email, Role role, String orgId) throws Exception {
    Response invited = inviter.post("/api/v1/invitations",
        "{\"email\":\"" + email + "\",\"role\":\"" + role.wireName() + "\",\"orgId\":\"" + orgId + "\"}");
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    String token = linkTokenFor(email, "invited");
    HttpTestClient person = signedIn(anonymous.post("/auth/session", "{\"token\":\"" + token + "\"}"));
    Response me = person.get("/api/v1/me");
    assertThat(me.json().path("role").asText()).isEqualTo(role.wireName());
    people.put(role, person);
    userIds.put(role, me.json().path("user").path("userId").asText());
  }

  private static HttpTestClient signedIn(Response started) {
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    Matcher cookie = COOKIE.matcher(started.header("Set-Cookie").orElseThrow());
    assertThat(cookie.find()).isTrue();
    HttpTestClient person = anonymous.withHeaders(Map.of("Cookie", "layercake_session=" + cookie.group(1),
        "X-CSRF-Token", started.json().path("csrfToken").asText()));
    cookies.put(person, "layercake_session=" + cookie.group(1));
    return person;
  }

  /** The same person's cookie without the CSRF token. */
  private static HttpTestClient cookieOnly(HttpTestClient person) {
    return anonymous.withHeaders(Map.of("Cookie", cookies.get(person)));
  }

  /** The token of the newest link mailed to {@code email} whose subject says {@code kind}, waiting for it to arrive. */
  private static String linkTokenFor(String email, String kind) throws Exception {
    TestProbe<Object> probe = TestProbe.create(node.system());
    return probe.awaitAssert(WAIT, () -> {
      List<String> tokens = new ArrayList<>();
      for (MimeMessage message : received(email)) {
        if (message.getSubject().toLowerCase().contains(kind)) {
          Matcher link = LINK.matcher(message.getContent().toString());
          if (link.find()) {
            tokens.add(link.group(1));
          }
        }
      }
      assertThat(tokens).as("a " + kind + " email to " + email).isNotEmpty();
      return tokens.get(tokens.size() - 1);
    });
  }

  private static List<MimeMessage> received(String email) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
      try {
        return message.getAllRecipients()[0].toString().equals(email);
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  private static void eventually(Runnable assertion) {
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }
}
