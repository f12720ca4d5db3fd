package io.layercake.runtime.setup;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.concurrent.Stages;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Asks setup interviews, wherever in the cluster they live. */
public final class Setups {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration turnTimeout;
  private final Executor executor;

  /** {@code turnTimeout}: how long a message may wait for the setup agent's answer (model calls and file tools). */
  public Setups(ActorSystem<?> system, Duration askTimeout, Duration turnTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.turnTimeout = turnTimeout;
    this.executor = system.executionContext();
  }

  public CompletionStage<SetupEntity.Reply> start(
      String setupId, String orgId, String ownerUserId, String ownerName, AgentConfig.ModelChoice model) {
    return answered(setup(setupId).ask(replyTo -> new SetupEntity.Start(orgId, ownerUserId, ownerName, model, replyTo), askTimeout));
  }

  public CompletionStage<SetupEntity.Reply> say(String setupId, String text, String by) {
    return answered(setup(setupId).ask(replyTo -> new SetupEntity.Say(text, by, replyTo), turnTimeout));
  }

  public CompletionStage<SetupEntity.Reply> editFile(String setupId, String path, String content, String by) {
    return answered(setup(setupId).ask(replyTo -> new SetupEntity.EditFile(path, content, by, replyTo), askTimeout));
  }

  public CompletionStage<SetupEntity.Reply> get(String setupId) {
    return answered(setup(setupId).ask(SetupEntity.Get::new, askTimeout));
  }

  public CompletionStage<SetupEntity.Reply> recordConnection(String setupId, SetupState.Connection connection) {
    return answered(setup(setupId).ask(replyTo -> new SetupEntity.RecordConnection(connection, replyTo), askTimeout));
  }

  private EntityRef<SetupEntity.Command> setup(String setupId) {
    return sharding.entityRefFor(SetupEntity.TYPE_KEY, setupId);
  }

  private <T> CompletionStage<T> answered(CompletionStage<T> answer) {
    return Stages.on(answer, executor);
  }
}
