package io.layercake.runtime.agent;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Asks agents, wherever in the cluster they live. */
public final class AgentDirectory {
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public AgentDirectory(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  public CompletionStage<AgentEntity.Reply> create(String agentId, AgentConfig config) {
    return agent(agentId).ask(replyTo -> new AgentEntity.Create(config, replyTo), askTimeout);
  }

  public CompletionStage<AgentEntity.Reply> update(String agentId, AgentConfig config) {
    return agent(agentId).ask(replyTo -> new AgentEntity.Update(config, replyTo), askTimeout);
  }

  public CompletionStage<AgentEntity.Reply> pause(String agentId) {
    return agent(agentId).ask(AgentEntity.Pause::new, askTimeout);
  }

  public CompletionStage<AgentEntity.Reply> resume(String agentId) {
    return agent(agentId).ask(AgentEntity.Resume::new, askTimeout);
  }

  public CompletionStage<AgentEntity.Reply> get(String agentId) {
    return agent(agentId).ask(AgentEntity.Get::new, askTimeout);
  }

  public CompletionStage<AgentEntity.Reply> archive(String agentId) {
    return agent(agentId).ask(AgentEntity.Archive::new, askTimeout);
  }

  private EntityRef<AgentEntity.Command> agent(String agentId) {
    return sharding.entityRefFor(AgentEntity.TYPE_KEY, agentId);
  }
}
