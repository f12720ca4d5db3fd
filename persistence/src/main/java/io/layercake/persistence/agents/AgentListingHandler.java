package io.layercake.persistence.agents;

import io.layercake.persistence.feed.FeedItems;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentEntity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/** Keeps one row per agent in {@code agents}: its organization, name, status and model provider; a new agent is activity in its feed. */
final class AgentListingHandler extends JdbcHandler<EventEnvelope<AgentEntity.Event>, PooledJdbcSession> {
  private static final String PREFIX = AgentEntity.TYPE_KEY.name() + "|";
  private static final String TEST_AGENT_PREFIX = "draft-";

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<AgentEntity.Event> envelope) throws Exception {
    String agentId = envelope.persistenceId().substring(PREFIX.length());
    long version = envelope.sequenceNr();
    session.withConnection(connection -> {
      AgentEntity.Event event = envelope.event();
      if (event instanceof AgentEntity.AgentCreated e) {
        upsert(connection, agentId, e.config(), "ACTIVE", version, e.at());
        // a setup interview's test agent (draft-...) is not news
        if (!agentId.startsWith(TEST_AGENT_PREFIX)) {
          FeedItems.activity(connection, e.config().orgId(), "agent:" + agentId, "Agent connected: " + e.config().name(),
              e.config().name() + " answers customers now.", e.at());
        }
      } else if (event instanceof AgentEntity.AgentReconfigured e) {
        upsert(connection, agentId, e.config(), null, version, e.at());
      } else if (event instanceof AgentEntity.AgentPaused e) {
        status(connection, agentId, "PAUSED", version, e.at());
      } else if (event instanceof AgentEntity.AgentResumed e) {
        status(connection, agentId, "ACTIVE", version, e.at());
      } else if (event instanceof AgentEntity.AgentArchived e) {
        status(connection, agentId, "ARCHIVED", version, e.at());
      }
      return null;
    });
  }

  /** Update first, insert when there was nothing to update: portable across H2 and PostgreSQL. */
  private static void upsert(Connection connection, String agentId, AgentConfig config, String status, long version, Instant at)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE agents SET org_id = ?, name = ?, provider = ?, version = ?, updated_at = ?"
            + (status == null ? "" : ", status = ?") + " WHERE agent_id = ?")) {
      update.setString(1, config.orgId());
      update.setString(2, config.name());
      update.setString(3, config.model().provider());
      update.setLong(4, version);
      update.setTimestamp(5, Timestamp.from(at));
      int next = 6;
      if (status != null) {
        update.setString(next++, status);
      }
      update.setString(next, agentId);
      if (update.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO agents (agent_id, org_id, name, status, provider, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, agentId);
      insert.setString(2, config.orgId());
      insert.setString(3, config.name());
      insert.setString(4, status == null ? "ACTIVE" : status);
      insert.setString(5, config.model().provider());
      insert.setLong(6, version);
      insert.setTimestamp(7, Timestamp.from(at));
      insert.executeUpdate();
    }
  }

  private static void status(Connection connection, String agentId, String status, long version, Instant at) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE agents SET status = ?, version = ?, updated_at = ? WHERE agent_id = ?")) {
      update.setString(1, status);
      update.setLong(2, version);
      update.setTimestamp(3, Timestamp.from(at));
      update.setString(4, agentId);
      update.executeUpdate();
    }
  }
}
