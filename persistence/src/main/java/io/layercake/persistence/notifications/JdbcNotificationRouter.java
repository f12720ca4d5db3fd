package io.layercake.persistence.notifications;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.config.NotificationSettings;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Json;
import io.layercake.persistence.notify.WebhookFeed;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.DeliveryPolicy;
import io.layercake.runtime.notifications.HandoffContacts;
import io.layercake.runtime.notifications.Notice;
import io.layercake.runtime.notifications.NotificationCatalog;
import io.layercake.runtime.notifications.NotificationRouter;
import io.layercake.runtime.notifications.Preferences;
import io.layercake.runtime.notifications.Priority;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.Tokens;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Routes the rows of {@code notifications} (written by the projections, billing and the platform)
 * into {@code user_notifications} and {@code notification_deliveries}. A row is claimed by setting
 * its {@code routed_at} in the transaction that routes it, so each is routed once even if two
 * routers overlap while the singleton moves.
 */
public final class JdbcNotificationRouter implements NotificationRouter {
  /** The organization platform messages are written under; they go to every person. */
  public static final String PLATFORM_ORG = "platform";
  private static final String WEBHOOK_EVENT = "notification.created";
  private static final String WEBHOOK_FAILING = "webhook.failing";

  private final ApplicationDatabase database;
  private final NotificationSettings settings;
  private final DeliveryPolicy policy;

  public JdbcNotificationRouter(ApplicationDatabase database, NotificationSettings settings) {
    this.database = database;
    this.settings = settings;
    this.policy = new DeliveryPolicy(settings.gatherDelay(), settings.digestHourUtc());
  }

  private record Source(long id, String orgId, String kind, String payload, Instant at) {}

  private record Organization(String name, String parentOrgId) {}

  private record Recipient(String userId, Role role) {}

  @Override
  public CompletionStage<Integer> routeDue(int limit, Instant now) {
    return database.write(connection -> {
      int routed = 0;
      for (Source source : query(connection, "SELECT id, org_id, kind, payload, created_at FROM notifications WHERE routed_at IS NULL"
              + " ORDER BY id FETCH FIRST " + limit + " ROWS ONLY",
          rows -> new Source(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), instant(rows, "created_at")))) {
        if (update(connection, "UPDATE notifications SET routed_at = ? WHERE id = ? AND routed_at IS NULL", now, source.id()) == 1) {
          route(connection, source, now);
          routed++;
        }
      }
      return routed;
    });
  }

  private void route(Connection connection, Source source, Instant now) throws SQLException {
    Map<String, Object> data = Json.read(source.payload());
    Optional<Organization> organization = first(connection, "SELECT name, parent_org_id FROM organizations WHERE org_id = ?",
        rows -> new Organization(rows.getString(1), rows.getString(2)), source.orgId());
    Optional<Notice> described = NotificationCatalog.describe(source.kind(), data, organization.map(Organization::name).orElse(null));
    if (described.isEmpty()) {
      return;
    }
    Notice notice = described.get();
    boolean platform = NotificationCatalog.spoken(notice.type());
    if (notice.type().equals(NotificationCatalog.DM_UNREAD)) {
      // a reminder of a direct message is its reader's alone
      if (first(connection, "SELECT 1 FROM users WHERE user_id = ? AND disabled_at IS NULL", rows -> true, data.get("userId")).isPresent()) {
        tell(connection, (String) data.get("userId"), source, notice, Optional.empty(), now);
      }
      return;
    }
    Optional<Set<Channel>> orgRoute = first(connection, "SELECT channels FROM notification_routes WHERE org_id = ? AND type = ?",
        rows -> JdbcNotifications.channels(rows.getString(1)), source.orgId(), notice.type());
    // a failing endpoint is not told of its own failures (that would feed itself)
    if (!platform && !notice.type().equals(WEBHOOK_FAILING) && DeliveryPolicy.toWebhooks(notice.priority(), orgRoute)) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("type", notice.type());
      event.put("priority", notice.priority().wireName());
      event.put("title", notice.title());
      event.put("body", notice.body());
      event.put("data", data);
      WebhookFeed.record(connection, source.orgId(), organization.map(Organization::parentOrgId).orElse(null),
          (String) data.get("sessionId"), WEBHOOK_EVENT, source.id(), event, source.at(), "notification|" + source.id(), 0);
    }
    List<Recipient> recipients = notice.type().equals(NotificationCatalog.BROADCAST)
        ? audience(connection, source.orgId(), "everyone".equals(data.get("audience")))
        : recipients(connection, source.orgId(), organization, platform);
    // an organization that chose its hand-off contacts tells only them among its own people (while one of them is still there)
    Set<String> chosen = HandoffContacts.TYPES.contains(notice.type())
        ? JdbcHandoffContacts.chosen(connection, source.orgId()).stream()
            .filter(userId -> recipients.stream().anyMatch(recipient -> recipient.userId().equals(userId)))
            .collect(Collectors.toSet())
        : Set.of();
    Role.Level ownLevel = organization.map(Organization::parentOrgId).isPresent() ? Role.Level.CLIENT : Role.Level.AGENCY;
    for (Recipient recipient : recipients) {
      boolean passedOver = !chosen.isEmpty() && recipient.role().level() == ownLevel && !chosen.contains(recipient.userId());
      if (!passedOver && (notice.scope().isEmpty() || recipient.role().scopes().contains(notice.scope()))) {
        tell(connection, recipient.userId(), source, notice, orgRoute, now);
      }
    }
  }

  /** Members of the organization and of its agency (every agency role reaches its clients); everyone for a platform message. */
  private static List<Recipient> recipients(Connection connection, String orgId, Optional<Organization> organization, boolean platform)
      throws SQLException {
    String members = "SELECT m.user_id, m.role FROM memberships m JOIN users u ON u.user_id = m.user_id WHERE u.disabled_at IS NULL";
    List<Recipient> all = platform
        ? query(connection, members + " ORDER BY m.user_id", rows -> recipient(rows.getString(1), rows.getString(2)))
        : query(connection, members + " AND (m.org_id = ? OR m.org_id = ?) ORDER BY m.user_id",
            rows -> recipient(rows.getString(1), rows.getString(2)), orgId,
            organization.map(Organization::parentOrgId).orElse(orgId));
    Map<String, Recipient> byUser = new LinkedHashMap<>();
    for (Recipient recipient : all) {
      if (recipient.role() != null) {
        // a person with two memberships hears it once, through the role that reaches further
        byUser.merge(recipient.userId(), recipient, (one, other) -> one.role().scopes().containsAll(other.role().scopes()) ? one : other);
      }
    }
    return List.copyOf(byUser.values());
  }

  /**
   * A broadcast's people: everyone, or the members of the sending agency's clients. A broadcast needs
   * no scope, so the role given is only there to fill the record.
   */
  private static List<Recipient> audience(Connection connection, String senderOrgId, boolean everyone) throws SQLException {
    String members = "SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.user_id = m.user_id WHERE u.disabled_at IS NULL";
    return everyone
        ? query(connection, members + " ORDER BY m.user_id", rows -> new Recipient(rows.getString(1), Role.PLATFORM_ADMIN))
        : query(connection, members + " AND m.org_id IN (SELECT org_id FROM organizations WHERE parent_org_id = ?) ORDER BY m.user_id",
            rows -> new Recipient(rows.getString(1), Role.PLATFORM_ADMIN), senderOrgId);
  }

  private static Recipient recipient(String userId, String role) {
    return new Recipient(userId, Role.parse(role).orElse(null));
  }

  private void tell(Connection connection, String userId, Source source, Notice notice, Optional<Set<Channel>> orgRoute, Instant now)
      throws SQLException {
    if (notice.priority() != Priority.CRITICAL && !NotificationCatalog.spoken(notice.type())) {
      Optional<String[]> open = first(connection, "SELECT notification_id, title FROM user_notifications WHERE user_id = ? AND org_id = ?"
              + " AND type = ? AND read_at IS NULL AND created_at > ? ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY",
          rows -> new String[] {rows.getString(1), rows.getString(2)}, userId, source.orgId(), notice.type(),
          source.at().minus(settings.collapseWindow()));
      if (open.isPresent()) {
        collapse(connection, open.get()[0], notice, now);
        return;
      }
    }
    String notificationId = Tokens.id("ntf_");
    update(connection, "INSERT INTO user_notifications (notification_id, user_id, org_id, type, priority, title, body, link,"
            + " metadata, occurrences, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
        notificationId, userId, source.orgId(), notice.type(), notice.priority().wireName(), notice.title(), notice.body(), notice.link(),
        cutJson(notice.metadata()), "event:" + source.id(), source.at(), now);
    Preferences preferences = JdbcNotifications.preferences(connection, userId);
    DeliveryPolicy.Reach reach = new DeliveryPolicy.Reach(settings.pushover().enabled() && first(connection,
        "SELECT 1 FROM notification_targets WHERE user_id = ? AND sealed_pushover_key IS NOT NULL", rows -> true, userId).isPresent(),
        first(connection, "SELECT 1 FROM push_subscriptions WHERE user_id = ? FETCH FIRST 1 ROWS ONLY", rows -> true, userId).isPresent());
    for (Channel channel : policy.channels(notice.priority(), source.orgId(), orgRoute, preferences, reach)) {
      update(connection, "INSERT INTO notification_deliveries (notification_id, channel, user_id, status, attempts, due_at, updated_at)"
          + " VALUES (?, ?, ?, 'pending', 0, ?, ?)", notificationId, channel.wireName(), userId,
          policy.dueAt(channel, notice.priority(), now), now);
    }
  }

  /** One more of a burst: the notification counts it and sums up; deliveries not sent yet will carry the summary. */
  private static void collapse(Connection connection, String notificationId, Notice notice, Instant now) throws SQLException {
    int occurrences = first(connection, "SELECT occurrences FROM user_notifications WHERE notification_id = ?", rows -> rows.getInt(1),
        notificationId).orElse(1) + 1;
    String link = notice.link() != null && notice.link().startsWith("/app/inbox/") ? "/app/inbox" : notice.link();
    update(connection, "UPDATE user_notifications SET occurrences = ?, title = ?, body = ?, link = ?, metadata = ?, updated_at = ?"
            + " WHERE notification_id = ?", occurrences, NotificationCatalog.summary(notice.type(), occurrences, notice.title()),
        "Latest: " + cut(notice.body(), 1900), link, cutJson(notice.metadata()), now, notificationId);
  }

  private static String cutJson(Map<String, Object> metadata) {
    String json = Json.write(metadata);
    return json.length() <= 4000 ? json : "{}";
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
