package io.layercake.persistence.agents;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.agent.AgentListing;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Reads the {@code agents} table. */
public final class JdbcAgentListing implements AgentListing {
  private final ApplicationDatabase database;

  public JdbcAgentListing(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<List<AgentSummary>> list(String orgId, boolean includeArchived) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT agent_id, org_id, name, status, provider, version, updated_at FROM agents WHERE org_id = ?"
              + (includeArchived ? "" : " AND status <> 'ARCHIVED'") + " ORDER BY name, agent_id")) {
        select.setString(1, orgId);
        try (ResultSet rows = select.executeQuery()) {
          List<AgentSummary> agents = new ArrayList<>();
          while (rows.next()) {
            agents.add(new AgentSummary(rows.getString(1), rows.getString(2), rows.getString(3), io.layercake.runtime.agent.AgentEntity.Status.valueOf(rows.getString(4)),
                rows.getString(5), rows.getLong(6), rows.getTimestamp(7).toInstant()));
          }
          return agents;
        }
      }
    });
  }
}
