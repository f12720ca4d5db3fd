package io.layercake.runtime.session;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.runtime.session.SessionState.DeliveryStatus;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Talks to conversations, wherever in the cluster they live. */
public final class Sessions {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Executor executor;

  public Sessions(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.executor = system.executionContext();
  }

  /** Completes once the message is persisted (or known as a duplicate): only then may a webhook acknowledge it. */
  public CompletionStage<SessionEntity.Reply> receive(InboundMessage message) {
    return answered(session(message.key().sessionId()).ask(
        replyTo -> new SessionEntity.Receive(message, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> conversation(String sessionId) {
    return answered(session(sessionId).ask(SessionEntity.GetConversation::new, askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> sendAsHuman(String sessionId, String author, String text) {
    return answered(session(sessionId).ask(
        replyTo -> new SessionEntity.SendAsHuman(author, text, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> sendTemplate(String sessionId, String author, io.layercake.runtime.channel.MessageTemplate template) {
    return answered(session(sessionId).ask(
        replyTo -> new SessionEntity.SendTemplate(author, template, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> handOff(String sessionId, String by, String reason) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.HandOff(by, reason, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> handBack(String sessionId, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.HandBack(by, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> close(String sessionId, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.Close(by, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> reopen(String sessionId, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.Reopen(by, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> decide(String sessionId, String approvalId, boolean approve, String decidedBy) {
    return answered(session(sessionId).ask(
        replyTo -> new SessionEntity.Decide(approvalId, approve, decidedBy, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> deliveryReceipt(
      String sessionId, String providerMessageId, DeliveryStatus status, String reason) {
    return answered(session(sessionId).ask(
        replyTo -> new SessionEntity.DeliveryReceipt(providerMessageId, status, reason, replyTo), askTimeout));
  }

  /** Brings a conversation into memory so it resumes unfinished work. */
  public void wake(String sessionId) {
    session(sessionId).tell(new SessionEntity.Wake("overdue work"));
  }

  private EntityRef<SessionEntity.Command> session(String sessionId) {
    return sharding.entityRefFor(SessionEntity.TYPE_KEY, sessionId);
  }

  /** Pekko's answer as a plain future: dependent stages run on the dispatcher, never on the common pool. */
  private <T> CompletionStage<T> answered(CompletionStage<T> answer) {
    return Stages.on(answer, executor);
  }
}
