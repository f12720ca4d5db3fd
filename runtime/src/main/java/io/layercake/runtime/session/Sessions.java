package io.layercake.runtime.session;

import io.layercake.config.EntitySettings;
import io.layercake.runtime.concurrent.Stages;
import io.layercake.runtime.session.SessionState.DeliveryStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Talks to conversations, wherever in the cluster they live. */
public final class Sessions {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration ingestWait;
  private final Duration ingestAttempt;
  private final Executor executor;

  public Sessions(ActorSystem<?> system, EntitySettings entities) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = entities.askTimeout();
    this.ingestWait = entities.ingestWait();
    this.ingestAttempt = entities.ingestAttempt();
    this.executor = system.executionContext();
  }

  /**
   * Completes once the message is persisted (or known as a duplicate): only then may a webhook
   * acknowledge it. An ask with no answer is made again, up to the ingest wait: sent to a node that
   * was just lost, it is gone, and the next one reaches the conversation once its shard moved. The
   * message id makes a second {@code Receive} of a stored message a duplicate, answered at once.
   */
  public CompletionStage<SessionEntity.Reply> receive(InboundMessage message) {
    return receive(message, System.nanoTime() + ingestWait.toNanos());
  }

  private CompletionStage<SessionEntity.Reply> receive(InboundMessage message, long deadlineNanos) {
    CompletionStage<SessionEntity.Reply> attempt = answered(session(message.key().sessionId()).ask(
        replyTo -> new SessionEntity.Receive(message, replyTo), ingestAttempt));
    return attempt
        .<CompletionStage<SessionEntity.Reply>>handleAsync((reply, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(reply);
          }
          if (Stages.cause(failure) instanceof TimeoutException && System.nanoTime() < deadlineNanos) {
            return receive(message, deadlineNanos);
          }
          return CompletableFuture.<SessionEntity.Reply>failedFuture(failure);
        }, Stages.SAME_THREAD)
        .thenCompose(Function.identity());
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

  /** Starts the conversation of {@code profile} with a template: {@code Rejected(CONFLICT)} when it exists already. */
  public CompletionStage<SessionEntity.Reply> reachOut(SessionState.Profile profile, String author,
      io.layercake.runtime.channel.MessageTemplate template) {
    return answered(session(profile.sessionId()).ask(replyTo -> new SessionEntity.ReachOut(profile, author, template, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> handOff(String sessionId, String by, String reason) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.HandOff(by, reason, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> handBack(String sessionId, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.HandBack(by, replyTo), askTimeout));
  }

  /** Replaces an appointment's reminder in its conversation: {@code dueAt} null drops it. */
  public CompletionStage<SessionEntity.Reply> arrangeReminder(String sessionId, String bookingId, java.time.Instant dueAt, String text) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.ArrangeReminder(bookingId, dueAt, text, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> close(String sessionId, String by) {
    return close(sessionId, by, null);
  }

  /** {@code outcome}: {@link SessionEntity.Close#SUCCESS} for a conversation that went well, or null. */
  public CompletionStage<SessionEntity.Reply> close(String sessionId, String by, String outcome) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.Close(by, outcome, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> startSequence(String sessionId, String name, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.StartSequence(name, by, replyTo), askTimeout));
  }

  public CompletionStage<SessionEntity.Reply> stopSequence(String sessionId, String name, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionEntity.StopSequence(name, by, replyTo), askTimeout));
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
