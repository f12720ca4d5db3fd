package io.layercake.runtime.agent;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** An organization's agents, from the agent read model (a port; it trails the entities by about a second). */
public interface AgentListing {
  CompletionStage<List<AgentSummary>> list(String orgId, boolean includeArchived);

  record AgentSummary(String agentId, String orgId, String name, AgentEntity.Status status, String provider, long version, Instant updatedAt) {}
}
