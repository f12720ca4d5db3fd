package io.layercake.persistence.access;

import io.layercake.persistence.feed.FeedItems;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.runtime.credits.OrgEntity;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/** One row per organization in {@code organizations}: name, tier, parent; a new client is activity in its agency's feed. */
final class OrgDirectoryHandler extends JdbcHandler<EventEnvelope<OrgEntity.Event>, PooledJdbcSession> {
  private static final String PREFIX = OrgEntity.TYPE_KEY.name() + "|";

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<OrgEntity.Event> envelope) throws Exception {
    String orgId = envelope.persistenceId().substring(PREFIX.length());
    session.withConnection(connection -> {
      if (envelope.event() instanceof OrgEntity.Opened opened) {
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO organizations (org_id, name, tier, parent_org_id, opened_at) VALUES (?, ?, ?, ?, ?)")) {
          insert.setString(1, orgId);
          insert.setString(2, opened.name());
          insert.setString(3, opened.tier());
          insert.setString(4, opened.parentOrgId());
          insert.setTimestamp(5, Timestamp.from(opened.at()));
          insert.executeUpdate();
        }
        if (opened.parentOrgId() != null) {
          FeedItems.activity(connection, opened.parentOrgId(), "client:" + orgId, "New client: " + opened.name(),
              opened.name() + " joined the agency.", opened.at());
        }
      } else if (envelope.event() instanceof OrgEntity.Renamed renamed) {
        try (PreparedStatement update = connection.prepareStatement("UPDATE organizations SET name = ? WHERE org_id = ?")) {
          update.setString(1, renamed.name());
          update.setString(2, orgId);
          update.executeUpdate();
        }
      } else if (envelope.event() instanceof OrgEntity.TierChanged changed) {
        try (PreparedStatement update = connection.prepareStatement("UPDATE organizations SET tier = ? WHERE org_id = ?")) {
          update.setString(1, changed.to());
          update.setString(2, orgId);
          update.executeUpdate();
        }
      }
      return null;
    });
  }
}
