package io.layercake.runtime.messages;

import io.layercake.runtime.concurrent.Stages;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Asks direct-message threads, wherever in the cluster they live. */
public final class DirectThreads {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Executor executor;

  public DirectThreads(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.executor = system.executionContext();
  }

  public CompletionStage<ThreadEntity.Reply> send(String senderId, String recipientId, String clientMessageId, String text) {
    return answered(thread(ThreadEntity.threadId(senderId, recipientId))
        .ask(replyTo -> new ThreadEntity.Send(senderId, recipientId, clientMessageId, text, replyTo), askTimeout));
  }

  public CompletionStage<ThreadEntity.Reply> get(String threadId, String userId) {
    return answered(thread(threadId).ask(replyTo -> new ThreadEntity.Get(userId, replyTo), askTimeout));
  }

  public CompletionStage<ThreadEntity.Reply> edit(String threadId, String userId, String messageId, String text) {
    return answered(thread(threadId).ask(replyTo -> new ThreadEntity.Edit(userId, messageId, text, replyTo), askTimeout));
  }

  public CompletionStage<ThreadEntity.Reply> delete(String threadId, String userId, String messageId) {
    return answered(thread(threadId).ask(replyTo -> new ThreadEntity.Delete(userId, messageId, replyTo), askTimeout));
  }

  public CompletionStage<ThreadEntity.Reply> markRead(String threadId, String userId, long seq) {
    return answered(thread(threadId).ask(replyTo -> new ThreadEntity.MarkRead(userId, seq, replyTo), askTimeout));
  }

  private EntityRef<ThreadEntity.Command> thread(String threadId) {
    return sharding.entityRefFor(ThreadEntity.TYPE_KEY, threadId);
  }

  private <T> CompletionStage<T> answered(CompletionStage<T> answer) {
    return Stages.on(answer, executor);
  }
}
