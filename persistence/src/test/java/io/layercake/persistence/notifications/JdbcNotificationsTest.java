package io.layercake.persistence.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.NotificationSettings;
import io.layercake.config.Secret;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements;
import io.layercake.persistence.people.JdbcPeople;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.NotificationDeliveries;
import io.layercake.runtime.notifications.NotificationSender;
import io.layercake.runtime.notifications.Notifications;
import io.layercake.runtime.notifications.Notifier;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.User;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routing and delivering notifications on H2 and PostgreSQL: who hears of what follows their
 * role's scopes and the agency above a client; each event is routed once; 200 events of one type
 * in the collapse window are one notification with one delivery per channel; low ones wait for the
 * digest hour and go out as one email per person; failures are retried with pauses and then
 * recorded, refusals at once; a disabled person gets nothing; Pushover keys are stored sealed.
 */
@ExtendWith(FreshDatabases.Extension.class)
class JdbcNotificationsTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static final NotificationSettings SETTINGS = NotificationSettings.defaults()
      .withTiming(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(15), Duration.ofSeconds(10))
      .withPushover(new NotificationSettings.Pushover("http://127.0.0.1:1", Secret.of("app-token")));

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void routingCollapsingDigestsAndRetries(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      SecretBox box = new SecretBox(new byte[32]);
      JdbcPeople people = new JdbcPeople(database, Clock.fixed(NOW, ZoneOffset.UTC));
      organization(database, "acme", null);
      organization(database, "plumber", "acme");
      organization(database, "other", null);
      User owner = person(people, "owner@acme.test", "acme", Role.OWNER);
      User gesa = person(people, "gesa@plumber.test", "plumber", Role.CLIENT_MEMBER);
      User olga = person(people, "olga@other.test", "other", Role.OWNER);
      User root = person(people, "root@platform.test", "platform", Role.PLATFORM_ADMIN);
      JdbcNotifications notifications = new JdbcNotifications(database, box);
      JdbcNotificationRouter router = new JdbcNotificationRouter(database, SETTINGS);
      JdbcNotificationDeliveries deliveries = new JdbcNotificationDeliveries(database, box);

      whoHearsOfWhatFollowsTheirRole(database, router, notifications, owner, gesa, olga, root);
      aBurstIsOneNotificationUntilTheWindowCloses(database, router, notifications, owner);
      lowOnesGoOutAsOneDigestAtItsHour(database, router, deliveries, notifications, owner);
      failuresAreRetriedThenRecorded(database, router, deliveries, notifications, owner, gesa);
      anUnreadDirectMessageRemindsItsReaderOnce(database, router, notifications, owner, olga);
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static void whoHearsOfWhatFollowsTheirRole(ApplicationDatabase database, JdbcNotificationRouter router,
      JdbcNotifications notifications, User owner, User gesa, User olga, User root) {
    event(database, "plumber", "conversation.handed_off", "{\"sessionId\":\"s-1\",\"by\":\"team\",\"reason\":\"asked\"}", NOW);
    event(database, "plumber", "conversation.handed_off", "{\"sessionId\":\"s-2\",\"by\":\"Sara (user:u_1)\",\"reason\":\"took over\"}",
        NOW);
    event(database, "plumber", "credits.low", "{\"available\":3}", NOW);
    event(database, "acme", "billing.payment_failed", "{\"invoice\":\"in_1\"}", NOW);
    assertThat(join(router.routeDue(100, NOW))).isEqualTo(4);
    assertThat(join(router.routeDue(100, NOW))).as("each event once").isZero();

    assertThat(types(notifications, owner)).containsExactlyInAnyOrder("conversation.handed_off", "credits.low", "billing.payment_failed");
    assertThat(types(notifications, gesa)).as("a client member: conversations, not credits or billing")
        .containsExactly("conversation.handed_off");
    assertThat(types(notifications, olga)).as("another agency").isEmpty();
    assertThat(types(notifications, root)).as("platform staff are not told of every organization's events").isEmpty();
    Notification handedOff = join(notifications.list(gesa.userId(), false, Optional.empty(), 10)).notifications().get(0);
    assertThat(handedOff.title()).isEqualTo("A conversation waits for a person · plumber");
    assertThat(handedOff.link()).isEqualTo("/app/inbox/s-1");
    assertThat(join(notifications.find(gesa.userId(), handedOff.notificationId())).orElseThrow().deliveries())
        .extracting(Notification.Delivery::channel).containsExactly(Channel.EMAIL);
    assertThat(join(notifications.find(owner.userId(), handedOff.notificationId()))).as("not another person's").isEmpty();
    assertThat(join(notifications.markAllRead(owner.userId(), NOW))).isEqualTo(3);
    assertThat(join(notifications.markAllRead(gesa.userId(), NOW))).isEqualTo(1);
  }

  private static void aBurstIsOneNotificationUntilTheWindowCloses(ApplicationDatabase database, JdbcNotificationRouter router,
      JdbcNotifications notifications, User owner) {
    Instant start = NOW.plusSeconds(100);
    for (int i = 0; i < 200; i++) {
      event(database, "plumber", "conversation.handed_off", "{\"sessionId\":\"b-" + i + "\",\"by\":\"team\"}",
          start.plusMillis(i * 250L));
    }
    while (join(router.routeDue(70, start)) > 0) {
      // routes in batches, as the notifier's rounds do
    }
    List<Notification> burst = join(notifications.list(owner.userId(), true, Optional.empty(), 10)).notifications();
    assertThat(burst).singleElement().satisfies(one -> {
      assertThat(one.occurrences()).isEqualTo(200);
      assertThat(one.title()).isEqualTo("200 conversations wait for a person · plumber");
      assertThat(one.link()).isEqualTo("/app/inbox");
    });
    assertThat(count(database, "SELECT COUNT(*) FROM notification_deliveries WHERE notification_id = '"
        + burst.get(0).notificationId() + "'")).as("one email for the whole burst").isEqualTo(1);
    event(database, "plumber", "conversation.handed_off", "{\"sessionId\":\"late\",\"by\":\"team\"}", start.plusSeconds(61));
    join(router.routeDue(10, start.plusSeconds(61)));
    assertThat(join(notifications.list(owner.userId(), true, Optional.empty(), 10)).notifications())
        .as("past the window a new one starts").hasSize(2);
    join(notifications.markAllRead(owner.userId(), NOW));
  }

  private static void lowOnesGoOutAsOneDigestAtItsHour(ApplicationDatabase database, JdbcNotificationRouter router,
      JdbcNotificationDeliveries deliveries, JdbcNotifications notifications, User owner) {
    for (int i = 1; i <= 3; i++) {
      // minutes apart: three notifications, not one burst
      Instant at = NOW.plus(Duration.ofMinutes(2L * i));
      event(database, "acme", "number.bought", "{\"orderId\":\"o-" + i + "\",\"number\":\"+4915100000" + i + "\"}", at);
      join(router.routeDue(10, at));
    }
    Instant digestHour = Instant.parse("2026-12-06T08:00:00Z");
    assertThat(count(database, "SELECT COUNT(*) FROM notification_deliveries WHERE channel = 'digest' AND status = 'pending'"
        + " AND due_at = TIMESTAMP WITH TIME ZONE '2026-12-06 08:00:00+00'")).as("due at the next digest hour").isEqualTo(3);
    List<NotificationDeliveries.Due> sent = new CopyOnWriteArrayList<>();
    NotificationSender capturing = due -> {
      sent.add(due);
      return CompletableFuture.completedFuture("captured");
    };
    join(Notifier.round(parts(router, deliveries, Map.of(Channel.DIGEST, capturing, Channel.EMAIL, capturing), digestHour)));
    assertThat(sent.stream().filter(due -> due.channel() == Channel.DIGEST)).singleElement().satisfies(digest -> {
      assertThat(digest.channel()).isEqualTo(Channel.DIGEST);
      assertThat(digest.recipient().email()).isEqualTo("owner@acme.test");
      assertThat(digest.notifications()).extracting(Notification::body)
          .containsExactlyInAnyOrder("+49151000001 is ready to send and receive.", "+49151000002 is ready to send and receive.",
              "+49151000003 is ready to send and receive.");
    });
    assertThat(count(database, "SELECT COUNT(*) FROM notification_deliveries WHERE channel = 'digest' AND status = 'sent'"))
        .isEqualTo(3);
    join(notifications.markAllRead(owner.userId(), NOW));
  }

  private static void failuresAreRetriedThenRecorded(ApplicationDatabase database, JdbcNotificationRouter router,
      JdbcNotificationDeliveries deliveries, JdbcNotifications notifications, User owner, User gesa) {
    String key = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
    join(notifications.pushoverKey(owner.userId(), Optional.of(key), NOW));
    assertThat(count(database, "SELECT COUNT(*) FROM notification_targets WHERE sealed_pushover_key LIKE '%" + key + "%'"))
        .as("sealed at rest").isZero();
    join(notifications.choose(owner.userId(), "*", Channel.EMAIL, Optional.of(false), NOW));
    event(database, "acme", "billing.payment_failed", "{\"invoice\":\"in_2\"}", NOW.plusSeconds(400));
    event(database, "plumber", "approval.requested", "{\"sessionId\":\"s-9\",\"kind\":\"tool\"}", NOW.plusSeconds(400));
    AtomicLong pushoverTries = new AtomicLong();
    Map<Channel, NotificationSender> senders = Map.of(
        Channel.PUSHOVER, due -> {
          pushoverTries.incrementAndGet();
          assertThat(due.recipient().pushoverKey()).contains(key);
          return CompletableFuture.failedFuture(new IllegalStateException("Pushover answered 503"));
        },
        Channel.EMAIL, due -> CompletableFuture.failedFuture(new NotificationSender.Undeliverable("no such mailbox")));
    join(router.routeDue(10, NOW.plusSeconds(400)));
    Instant at = NOW.plusSeconds(420);
    for (int attempt = 1; attempt <= SETTINGS.maxAttempts(); attempt++) {
      join(Notifier.round(parts(router, deliveries, senders, at)));
      at = at.plus(Duration.ofHours(2));
    }
    assertThat(pushoverTries.get()).as("tried maxAttempts times, then given up").isEqualTo(SETTINGS.maxAttempts() * 2L);
    Notification payment = join(notifications.list(owner.userId(), true, Optional.empty(), 10)).notifications().stream()
        .filter(n -> n.type().equals("billing.payment_failed")).findFirst().orElseThrow();
    assertThat(join(notifications.find(owner.userId(), payment.notificationId())).orElseThrow().deliveries())
        .as("email off: Pushover only").singleElement().satisfies(delivery -> {
          assertThat(delivery.status()).isEqualTo(Notification.Delivery.FAILED);
          assertThat(delivery.attempts()).isEqualTo(SETTINGS.maxAttempts());
          assertThat(delivery.lastError()).isEqualTo("IllegalStateException: Pushover answered 503");
        });
    Notification approval = join(notifications.list(gesa.userId(), true, Optional.empty(), 10)).notifications().get(0);
    assertThat(join(notifications.find(gesa.userId(), approval.notificationId())).orElseThrow().deliveries())
        .singleElement().satisfies(delivery -> {
          assertThat(delivery.status()).isEqualTo(Notification.Delivery.FAILED);
          assertThat(delivery.attempts()).as("a refusal is not tried again").isEqualTo(1);
          assertThat(delivery.lastError()).isEqualTo("no such mailbox");
        });

    join(notifications.markAllRead(gesa.userId(), NOW));
    join(database.write(connection -> Statements.update(connection, "UPDATE users SET disabled_at = ? WHERE user_id = ?", NOW,
        gesa.userId())));
    event(database, "plumber", "conversation.handed_off", "{\"sessionId\":\"s-10\",\"by\":\"team\"}", NOW.plusSeconds(500));
    join(router.routeDue(10, NOW.plusSeconds(500)));
    assertThat(types(notifications, gesa)).as("a disabled person is told nothing new").isEmpty();
    assertThat(types(notifications, owner)).contains("conversation.handed_off");
  }

  private static void anUnreadDirectMessageRemindsItsReaderOnce(ApplicationDatabase database, JdbcNotificationRouter router,
      JdbcNotifications notifications, User owner, User olga) {
    join(notifications.markAllRead(olga.userId(), NOW));
    Instant sent = NOW.plus(Duration.ofHours(3));
    join(database.write(connection -> Statements.update(connection, "INSERT INTO dm_inbox (thread_id, user_id, other_user_id, last_seq,"
        + " last_message_id, last_message_at, last_preview, last_sender_id, read_seq, unread, first_unread_at, reminded_seq, updated_at)"
        + " VALUES ('dm_1', ?, ?, 3, 'm3', ?, 'Can we talk?', ?, 1, 2, ?, 0, ?)", olga.userId(), owner.userId(), sent, owner.userId(), sent,
        sent)));
    join(database.write(connection -> Statements.update(connection, "INSERT INTO messaging_rules (user_id, who_may_message,"
        + " remind_after_seconds, updated_at) VALUES (?, 'everyone', 600, ?)", olga.userId(), NOW)));
    io.layercake.persistence.messages.JdbcDirectMessageReminders reminders = new io.layercake.persistence.messages.JdbcDirectMessageReminders(database);
    assertThat(join(reminders.writeDue(sent.plus(Duration.ofMinutes(9))))).as("before olga's ten minutes").isZero();
    assertThat(join(reminders.writeDue(sent.plus(Duration.ofMinutes(10))))).isEqualTo(1);
    assertThat(join(reminders.writeDue(sent.plus(Duration.ofMinutes(20))))).as("once per latest message").isZero();
    join(router.routeDue(10, sent.plus(Duration.ofMinutes(10))));
    List<Notification> told = join(notifications.list(olga.userId(), true, Optional.empty(), 10)).notifications();
    assertThat(told).singleElement().satisfies(reminder -> {
      assertThat(reminder.type()).isEqualTo("dm.unread");
      assertThat(reminder.title()).isEqualTo("Unread message from owner");
      assertThat(reminder.body()).isEqualTo("Can we talk?");
      assertThat(reminder.link()).isEqualTo("/app/messages/dm_1");
    });
    assertThat(types(notifications, owner)).as("the reader's alone").doesNotContain("dm.unread");
  }

  private static Notifier.Parts parts(JdbcNotificationRouter router, JdbcNotificationDeliveries deliveries,
      Map<Channel, NotificationSender> senders, Instant now) {
    return new Notifier.Parts(List.of(), router, deliveries, senders, SETTINGS, Runnable::run, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** A row as the projections write it. */
  private static void event(ApplicationDatabase database, String orgId, String kind, String payload, Instant at) {
    join(database.write(connection -> Statements.update(connection, "INSERT INTO notifications (org_id, kind, payload, created_at,"
        + " persistence_id, sequence_number) VALUES (?, ?, ?, ?, ?, ?)", orgId, kind, payload, at, "Test|" + orgId,
        SEQUENCE.incrementAndGet())));
  }

  private static void organization(ApplicationDatabase database, String orgId, String parent) {
    join(database.write(connection -> Statements.update(connection, "INSERT INTO organizations (org_id, name, tier, parent_org_id,"
        + " opened_at) VALUES (?, ?, 'agency', ?, ?)", orgId, orgId, parent, NOW)));
  }

  private static User person(JdbcPeople people, String email, String orgId, Role role) {
    User user = join(people.findOrCreate(email, email.substring(0, email.indexOf('@'))));
    join(people.grant(user.userId(), orgId, role, "test"));
    return user;
  }

  private static List<String> types(Notifications notifications, User user) {
    return join(notifications.list(user.userId(), true, Optional.empty(), 100)).notifications().stream().map(Notification::type).toList();
  }

  private static long count(ApplicationDatabase database, String sql) {
    return join(database.read(connection -> Statements.first(connection, sql, rows -> rows.getLong(1)).orElseThrow()));
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
