package io.layercake.http.api;

import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** An agent the caller may see, or 404 (the same answer whether it does not exist or belongs to someone else). */
public final class VisibleAgents extends AllDirectives {
  private final AgentDirectory agents;
  private final ApiAccess access;

  public VisibleAgents(AgentDirectory agents, ApiAccess access) {
    this.agents = agents;
    this.access = access;
  }

  public Route of(Caller caller, String agentId, Function<AgentEntity.Agent, Route> inner) {
    return onSuccess(agents.get(agentId), found -> found instanceof AgentEntity.Agent agent
        ? access.visible(caller, agent.config().orgId(), "agent " + agentId, () -> inner.apply(agent))
        : ApiAccess.notFound("agent " + agentId));
  }
}
