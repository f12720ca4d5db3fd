package io.layercake.http.notifications;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.NotificationSettings;
import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import io.layercake.http.providers.PushoverSender;
import io.layercake.http.providers.WebPushSender;
import io.layercake.http.providers.WebhookTargets;
import io.layercake.persistence.notifications.JdbcPushSubscriptions;
import io.layercake.persistence.notifications.JdbcVapidKeys;
import io.layercake.runtime.notifications.PushSubscriptions;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.feed.FeedMilestones;
import io.layercake.persistence.messages.JdbcDirectMessageReminders;
import io.layercake.persistence.notifications.JdbcNotificationDeliveries;
import io.layercake.persistence.notifications.JdbcNotificationRouter;
import io.layercake.persistence.notifications.JdbcNotifications;
import io.layercake.persistence.notifications.JdbcPlatformMessages;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.NotificationSender;
import io.layercake.runtime.notifications.Notifications;
import io.layercake.runtime.notifications.Notifier;
import io.layercake.runtime.notifications.PlatformMessages;
import io.layercake.runtime.people.Mailer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/** The notification part of a node, assembled, with its notifier running as a cluster singleton. */
public record NotificationComponents(Notifications notifications, PlatformMessages platformMessages,
    PushSubscriptions pushSubscriptions, String applicationServerKey, NotificationSettings settings) {

  /**
   * @param baseUrl where browsers reach this node (links in emails and pushes), known once it listens
   * @param targets which push endpoints may be sent to (as webhook URLs)
   * @param blocking where SMTP and provider calls block
   */
  public static NotificationComponents start(ActorSystem<?> system, LayercakeSettings settings, ApplicationDatabase database,
      SecretBox box, Mailer mailer, HttpClient client, WebhookTargets targets, Supplier<String> baseUrl, Executor blocking) {
    NotificationSettings notificationSettings = settings.people().notifications();
    Clock clock = Clock.systemUTC();
    Map<Channel, NotificationSender> senders = new EnumMap<>(Channel.class);
    EmailNotificationSender email = new EmailNotificationSender(mailer, baseUrl, blocking);
    senders.put(Channel.EMAIL, email);
    senders.put(Channel.DIGEST, email);
    if (notificationSettings.pushover().enabled()) {
      senders.put(Channel.PUSHOVER, new PushoverSender(notificationSettings.pushover(), settings.channels().sendTimeout(), baseUrl, client,
          blocking));
    }
    JdbcPushSubscriptions pushSubscriptions = new JdbcPushSubscriptions(database);
    WebPush webPush = webPush(new JdbcVapidKeys(database, box), notificationSettings.webPushSubject(), clock);
    senders.put(Channel.PUSH, new WebPushSender(webPush, pushSubscriptions, targets, system, settings.channels().sendTimeout(), baseUrl,
        blocking));
    Notifier.Parts parts = new Notifier.Parts(List.of(new JdbcDirectMessageReminders(database), new FeedMilestones(database)),
        new JdbcNotificationRouter(database, notificationSettings),
        new JdbcNotificationDeliveries(database, box), senders, notificationSettings, system.executionContext(), clock);
    ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(Notifier.create(parts)).onFailure(SupervisorStrategy.restart()), "notifier").withStopMessage(Notifier.STOP));
    JdbcNotifications notifications = new JdbcNotifications(database, box);
    return new NotificationComponents(notifications, new JdbcPlatformMessages(database),
        pushSubscriptions, WebPushSender.applicationServerKey(webPush), notificationSettings);
  }

  /** The platform's VAPID keys, made on the first start. */
  private static WebPush webPush(JdbcVapidKeys keys, String subject, Clock clock) {
    JdbcVapidKeys.Pair pair = keys.loadOrCreate(() -> {
      VapidKeys made = VapidKeys.generate();
      return new JdbcVapidKeys.Pair(made.getX509PublicKey(), made.getPkcs8PrivateKey());
    }, clock.instant()).toCompletableFuture().join();
    return new WebPush(subject, VapidKeys.create(pair.publicKey(), pair.privateKey()));
  }
}
