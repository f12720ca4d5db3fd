package io.layercake.runtime.agent;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.runtime.reference.ReferenceData;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Asks agents, wherever in the cluster they live. */
public final class AgentDirectory {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Executor executor;
  private final ReferenceData referenceData;

  public AgentDirectory(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.executor = system.executionContext();
    this.referenceData = ReferenceData.get(system);
  }

  public CompletionStage<AgentEntity.Reply> create(String agentId, AgentConfig config) {
    return create(agentId, config, null);
  }

  /** {@code by} is recorded in the journal as who made the change. */
  public CompletionStage<AgentEntity.Reply> create(String agentId, AgentConfig config, String by) {
    return changed(agentId,
        answered(agent(agentId).ask(replyTo -> new AgentEntity.Create(config, by, replyTo), askTimeout)));
  }

  public CompletionStage<AgentEntity.Reply> update(String agentId, AgentConfig config, String by) {
    return changed(agentId,
        answered(agent(agentId).ask(replyTo -> new AgentEntity.Update(config, by, replyTo), askTimeout)));
  }

  public CompletionStage<AgentEntity.Reply> pause(String agentId, String by) {
    return changed(agentId, answered(agent(agentId).ask(replyTo -> new AgentEntity.Pause(by, replyTo), askTimeout)));
  }

  public CompletionStage<AgentEntity.Reply> resume(String agentId, String by) {
    return changed(agentId, answered(agent(agentId).ask(replyTo -> new AgentEntity.Resume(by, replyTo), askTimeout)));
  }

  public CompletionStage<AgentEntity.Reply> get(String agentId) {
    return answered(agent(agentId).ask(AgentEntity.Get::new, askTimeout));
  }

  public CompletionStage<AgentEntity.Reply> archive(String agentId, String by) {
    return changed(agentId, answered(agent(agentId).ask(replyTo -> new AgentEntity.Archive(by, replyTo), askTimeout)));
  }

  private EntityRef<AgentEntity.Command> agent(String agentId) {
    return sharding.entityRefFor(AgentEntity.TYPE_KEY, agentId);
  }

  /** Once a change is answered (or failed: it may have happened), every node forgets the agent's configuration. */
  private CompletionStage<AgentEntity.Reply> changed(String agentId, CompletionStage<AgentEntity.Reply> change) {
    return change.whenComplete((reply, failure) -> referenceData.changed(ReferenceData.AGENTS, agentId));
  }

  /** Pekko's answer as a plain future: dependent stages run on the dispatcher, never on the common pool. */
  private <T> CompletionStage<T> answered(CompletionStage<T> answer) {
    return Stages.on(answer, executor);
  }
}
