package io.layercake.persistence.people;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.people.Invitations;
import io.layercake.runtime.people.Outbox;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.UserSessions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * People's tables on H2 and PostgreSQL: a link works once and not after it expires (of racing
 * redemptions exactly one wins), sessions end when idle, at their absolute end and when revoked,
 * invitations are accepted once and not when revoked or expired, and an email is claimed by one
 * sender only, retried, then reported; link tokens and email bodies are never stored in clear.
 */
@ExtendWith(FreshDatabases.Extension.class)
class JdbcPeopleTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void peopleLinksSessionsInvitationsAndEmails(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      SecretBox box = new SecretBox(new byte[32]);
      usersAndMemberships(new JdbcPeople(database, CLOCK));
      linksWorkOnceAndExpire(new JdbcSignInLinks(database, CLOCK), database);
      sessionsEnd(new JdbcUserSessions(database, CLOCK));
      invitationsAreAcceptedOnce(new JdbcInvitations(database, CLOCK));
      emailsAreClaimedOnceRetriedAndReported(new JdbcOutbox(database, box), database);
      JdbcSigningKeys keys = new JdbcSigningKeys(database, box, CLOCK);
      join(keys.add(new JdbcSigningKeys.StoredKey("k1", "{\"kty\":\"EC\",\"d\":\"secret-part\"}")));
      assertThat(join(keys.all())).containsExactly(new JdbcSigningKeys.StoredKey("k1", "{\"kty\":\"EC\",\"d\":\"secret-part\"}"));
      assertThat(stored(database, "SELECT sealed_jwk FROM signing_keys")).noneMatch(value -> value.contains("secret-part"));
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static void usersAndMemberships(JdbcPeople people) {
    var anna = join(people.findOrCreate("Anna@Example.COM ", "Anna"));
    assertThat(anna.email()).isEqualTo("anna@example.com");
    assertThat(join(people.findOrCreate("anna@example.com", "Someone else"))).as("one user per address").isEqualTo(anna);
    assertThat(join(people.findByEmail("ANNA@example.com"))).contains(anna);
    join(people.grant(anna.userId(), "agency", Role.ADMIN, "test"));
    join(people.grant(anna.userId(), "agency", Role.OWNER, "test"));
    join(people.grant(anna.userId(), "client", Role.CLIENT_MEMBER, "test"));
    assertThat(join(people.memberships(anna.userId()))).extracting(membership -> membership.orgId() + ":" + membership.role())
        .containsExactlyInAnyOrder("agency:OWNER", "client:CLIENT_MEMBER");
    assertThat(join(people.members("agency"))).extracting(People.Member::user).containsExactly(anna);
    assertThat(join(people.remove(anna.userId(), "client"))).isTrue();
    assertThat(join(people.remove(anna.userId(), "client"))).isFalse();
    assertThat(join(people.members("client"))).isEmpty();
  }

  private static void linksWorkOnceAndExpire(JdbcSignInLinks links, ApplicationDatabase database) {
    String token = join(links.issue("anna@example.com", null, NOW.plus(Duration.ofMinutes(15))));
    assertThat(stored(database, "SELECT token_hash FROM sign_in_links")).doesNotContain(token);
    assertThat(join(links.redeem(token, NOW.plusSeconds(60)))).map(redeemed -> redeemed.email()).contains("anna@example.com");
    assertThat(join(links.redeem(token, NOW.plusSeconds(61)))).as("used").isEmpty();
    String late = join(links.issue("anna@example.com", "inv_1", NOW.plus(Duration.ofMinutes(15))));
    assertThat(join(links.redeem(late, NOW.plus(Duration.ofMinutes(15))))).as("expired").isEmpty();
    assertThat(join(links.redeem("forged-" + late, NOW))).isEmpty();
    String raced = join(links.issue("anna@example.com", "inv_2", NOW.plus(Duration.ofMinutes(15))));
    List<CompletableFuture<Optional<io.layercake.runtime.people.SignInLinks.Redeemed>>> attempts = IntStream.range(0, 6)
        .mapToObj(i -> links.redeem(raced, NOW).toCompletableFuture()).toList();
    assertThat(attempts.stream().map(CompletableFuture::join).filter(Optional::isPresent)).as("exactly one redemption").hasSize(1);
  }

  private static void sessionsEnd(JdbcUserSessions sessions) {
    Duration idle = Duration.ofDays(7);
    UserSessions.Started started = join(sessions.start("u_1", "Mozilla/5.0", "127.0.0.1", NOW.plus(Duration.ofDays(30))));
    assertThat(join(sessions.authenticate(started.token(), NOW.plusSeconds(10), idle))).map(UserSessions.UserSession::userId).contains("u_1");
    assertThat(join(sessions.authenticate(started.token(), NOW.plus(Duration.ofDays(8)), idle))).as("idle for 8 days").isEmpty();
    assertThat(join(sessions.authenticate(started.token(), NOW.plus(Duration.ofDays(31)), Duration.ofDays(60)))).as("past its end").isEmpty();
    UserSessions.Started second = join(sessions.start("u_1", "curl", "127.0.0.1", NOW.plus(Duration.ofDays(30))));
    assertThat(join(sessions.list("u_1", NOW, idle))).hasSize(2);
    assertThat(join(sessions.revoke("u_2", second.session().sessionId()))).as("not another user's").isFalse();
    assertThat(join(sessions.revoke("u_1", second.session().sessionId()))).isTrue();
    assertThat(join(sessions.authenticate(second.token(), NOW, idle))).isEmpty();
    assertThat(join(sessions.revokeAll("u_1"))).isEqualTo(1);
    assertThat(join(sessions.authenticate(started.token(), NOW, idle))).isEmpty();
  }

  private static void invitationsAreAcceptedOnce(JdbcInvitations invitations) {
    Instant expires = NOW.plus(Duration.ofDays(7));
    Invitations.Invitation invited = join(invitations.create("agency", "bob@example.com", Role.MEMBER, "test", expires));
    assertThat(join(invitations.accept(invited.invitationId(), NOW))).isTrue();
    assertThat(join(invitations.accept(invited.invitationId(), NOW))).as("once").isFalse();
    assertThat(join(invitations.revoke("agency", invited.invitationId()))).as("accepted already").isFalse();
    Invitations.Invitation revoked = join(invitations.create("agency", "carl@example.com", Role.ADMIN, "test", expires));
    assertThat(join(invitations.revoke("other-agency", revoked.invitationId()))).as("not another organization's").isFalse();
    assertThat(join(invitations.revoke("agency", revoked.invitationId()))).isTrue();
    assertThat(join(invitations.accept(revoked.invitationId(), NOW))).isFalse();
    Invitations.Invitation expired = join(invitations.create("agency", "dan@example.com", Role.MEMBER, "test", expires));
    assertThat(join(invitations.accept(expired.invitationId(), expires))).isFalse();
    assertThat(join(invitations.find(expired.invitationId())).orElseThrow().status(expires)).isEqualTo(Invitations.Invitation.Status.EXPIRED);
    assertThat(join(invitations.list("agency"))).hasSize(3);
  }

  private static void emailsAreClaimedOnceRetriedAndReported(JdbcOutbox outbox, ApplicationDatabase database) {
    String id = join(outbox.enqueue(new Outbox.Email("anna@example.com", "Your link", "https://x/auth/link?token=SECRET123"), NOW));
    assertThat(stored(database, "SELECT sealed_body FROM outbound_emails")).noneMatch(body -> body.contains("SECRET123"));
    List<CompletableFuture<List<Outbox.Queued>>> senders = IntStream.range(0, 4)
        .mapToObj(i -> outbox.claimDue(NOW, Duration.ofMinutes(2), 10).toCompletableFuture()).toList();
    List<Outbox.Queued> claimed = senders.stream().flatMap(sender -> sender.join().stream()).toList();
    assertThat(claimed).as("one sender claims it").hasSize(1);
    assertThat(claimed.get(0).email().body()).contains("SECRET123");
    assertThat(join(outbox.claimDue(NOW.plusSeconds(60), Duration.ofMinutes(2), 10))).as("claimed for two minutes").isEmpty();
    join(outbox.failedAttempt(id, "connection refused", Optional.of(NOW.plusSeconds(10))));
    assertThat(join(outbox.claimDue(NOW.plusSeconds(10), Duration.ofMinutes(2), 10))).extracting(Outbox.Queued::attempts).containsExactly(2);
    join(outbox.failedAttempt(id, "connection refused", Optional.empty()));
    assertThat(join(outbox.undelivered(10))).extracting(Outbox.Undelivered::lastError).containsExactly("connection refused");
    assertThat(join(outbox.claimDue(NOW.plus(Duration.ofDays(1)), Duration.ofMinutes(2), 10))).as("failed for good").isEmpty();
    String sent = join(outbox.enqueue(new Outbox.Email("bob@example.com", "Hi", "body"), NOW));
    join(outbox.claimDue(NOW, Duration.ofMinutes(2), 10));
    join(outbox.sent(sent, NOW));
    assertThat(join(outbox.claimDue(NOW.plus(Duration.ofDays(1)), Duration.ofMinutes(2), 10))).isEmpty();
  }

  private static List<String> stored(ApplicationDatabase database, String sql) {
    return join(database.read(connection -> Statements.query(connection, sql, rows -> rows.getString(1))));
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
