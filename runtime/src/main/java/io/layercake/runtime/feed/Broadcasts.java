package io.layercake.runtime.feed;

import io.layercake.runtime.concurrent.Stages;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** Sends broadcasts through their entities, wherever in the cluster they live. */
public final class Broadcasts {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Executor executor;

  public Broadcasts(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.executor = system.executionContext();
  }

  public CompletionStage<BroadcastEntity.Sent> send(String broadcastId, String senderOrgId, BroadcastEntity.Audience audience,
      String title, String body, String priority, String author) {
    return Stages.on(sharding.entityRefFor(BroadcastEntity.TYPE_KEY, broadcastId).ask(replyTo -> new BroadcastEntity.Send(senderOrgId,
        audience, title, body, priority, author, replyTo), askTimeout), executor);
  }
}
