package io.layercake.persistence.feed;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.Json;
import io.layercake.runtime.feed.BroadcastEntity;
import io.layercake.runtime.feed.Feed;
import io.layercake.runtime.notifications.NotificationCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writing feed items, for the projections that cause them: activity of one organization, a broadcast's fan-out. */
public final class FeedItems {
  /** The organization platform broadcasts are sent from. */
  public static final String PLATFORM_ORG = "platform";

  private FeedItems() {}

  /** One activity item in an organization's feed, once per source; false when it was there already. */
  public static boolean activity(Connection connection, String orgId, String source, String title, String body, Instant at)
      throws SQLException {
    if (first(connection, "SELECT 1 FROM feed_items WHERE org_id = ? AND source = ?", rows -> true, orgId, source).isPresent()) {
      return false;
    }
    update(connection, "INSERT INTO feed_items (item_id, org_id, kind, title, body, author, source, created_at)"
        + " VALUES (?, ?, ?, ?, ?, NULL, ?, ?)", "fi_" + source + "_" + orgId, orgId, Feed.ACTIVITY, title, body, source, at);
    return true;
  }

  /**
   * A broadcast into every audience organization's feed with one statement (the agency's clients and
   * the agency itself, or every organization), its record with the number reached, and with a
   * priority one notification event that the router fans out to the audience's people.
   */
  public static long fanOut(Connection connection, String broadcastId, BroadcastEntity.BroadcastSent sent) throws SQLException {
    String source = "broadcast:" + broadcastId;
    boolean everyone = sent.audience() == BroadcastEntity.Audience.EVERYONE;
    String kind = PLATFORM_ORG.equals(sent.senderOrgId()) ? Feed.PLATFORM : Feed.BROADCAST;
    String insert = "INSERT INTO feed_items (item_id, org_id, kind, title, body, author, source, created_at)"
        + " SELECT CAST(? AS VARCHAR(120)) || o.org_id, o.org_id, ?, ?, ?, ?, ?, ? FROM organizations o WHERE"
        + (everyone ? "" : " (o.parent_org_id = ? OR o.org_id = ?) AND")
        + " NOT EXISTS (SELECT 1 FROM feed_items f WHERE f.org_id = o.org_id AND f.source = ?)";
    if (everyone) {
      update(connection, insert, "fi_" + broadcastId + "_", kind, sent.title(), sent.body(), sent.author(), source, sent.at(), source);
    } else {
      update(connection, insert, "fi_" + broadcastId + "_", kind, sent.title(), sent.body(), sent.author(), source, sent.at(),
          sent.senderOrgId(), sent.senderOrgId(), source);
    }
    long reached = first(connection, "SELECT COUNT(*) FROM feed_items WHERE source = ?", rows -> rows.getLong(1), source).orElse(0L);
    if (update(connection, "UPDATE broadcasts SET organizations = ? WHERE broadcast_id = ?", reached, broadcastId) == 0) {
      update(connection, "INSERT INTO broadcasts (broadcast_id, sender_org_id, audience, title, priority, author, created_at, organizations)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", broadcastId, sent.senderOrgId(), sent.audience().name().toLowerCase(java.util.Locale.ROOT),
          sent.title(), sent.priority(), sent.author(), sent.at(), reached);
    }
    if (sent.priority() != null && first(connection, "SELECT 1 FROM notifications WHERE persistence_id = ?", rows -> true,
        "Broadcast|" + broadcastId).isEmpty()) {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("broadcastId", broadcastId);
      payload.put("title", sent.title());
      payload.put("body", sent.body());
      payload.put("priority", sent.priority());
      payload.put("audience", sent.audience().name().toLowerCase(java.util.Locale.ROOT));
      payload.put("link", "/app/feed");
      update(connection, "INSERT INTO notifications (org_id, kind, payload, created_at, persistence_id, sequence_number)"
              + " VALUES (?, ?, ?, ?, ?, 0)", sent.senderOrgId(), NotificationCatalog.BROADCAST, Json.write(payload), sent.at(),
          "Broadcast|" + broadcastId);
    }
    return reached;
  }
}
