package io.layercake.runtime.session;

import io.layercake.config.EntitySettings;
import io.layercake.runtime.concurrent.Stages;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
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
   * The stage completes on the thread the answer comes on (the conversation's, once the message is
   * persisted), where a webhook's acknowledgement is cheap to make; a hop to the dispatcher would only
   * wake another thread. Callers with more to do than that name an executor.
   */
  public CompletionStage<SessionReply> receive(InboundMessage message) {
    return receive(message, System.nanoTime() + ingestWait.toNanos());
  }

  private CompletionStage<SessionReply> receive(InboundMessage message, long deadlineNanos) {
    CompletionStage<SessionReply> attempt = Stages.on(session(message.key().sessionId()).ask(
        replyTo -> new SessionCommand.Receive(message, replyTo), ingestAttempt), Stages.SAME_THREAD);
    return attempt
        .<CompletionStage<SessionReply>>handleAsync((reply, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(reply);
          }
          if (Stages.cause(failure) instanceof TimeoutException && System.nanoTime() < deadlineNanos) {
            return receive(message, deadlineNanos);
          }
          return CompletableFuture.<SessionReply>failedFuture(failure);
        }, Stages.SAME_THREAD)
        .thenCompose(Function.identity());
  }

  public CompletionStage<SessionReply> conversation(String sessionId) {
    return answered(session(sessionId).ask(SessionCommand.GetConversation::new, askTimeout));
  }

  public CompletionStage<SessionReply> sendAsHuman(String sessionId, String author, String text) {
    return answered(session(sessionId).ask(
        replyTo -> new SessionCommand.SendAsHuman(author, text, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> sendTemplate(String sessionId, String author, io.layercake.runtime.channel.MessageTemplate template) {
    return answered(session(sessionId).ask(
        replyTo -> new SessionCommand.SendTemplate(author, template, replyTo), askTimeout));
  }

  /** Starts the conversation of {@code profile} with a template: {@code Rejected(CONFLICT)} when it exists already. */
  public CompletionStage<SessionReply> reachOut(Profile profile, String author,
      io.layercake.runtime.channel.MessageTemplate template) {
    return answered(session(profile.sessionId()).ask(replyTo -> new SessionCommand.ReachOut(profile, author, template, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> handOff(String sessionId, String by, String reason) {
    return answered(session(sessionId).ask(replyTo -> new SessionCommand.HandOff(by, reason, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> handBack(String sessionId, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionCommand.HandBack(by, replyTo), askTimeout));
  }

  /** Replaces an appointment's reminder in its conversation: {@code dueAt} null drops it. */
  public CompletionStage<SessionReply> arrangeReminder(String sessionId, String bookingId, java.time.Instant dueAt, String text) {
    return answered(session(sessionId).ask(replyTo -> new SessionCommand.ArrangeReminder(bookingId, dueAt, text, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> close(String sessionId, String by) {
    return close(sessionId, by, null);
  }

  /** {@code outcome}: {@link SessionCommand.Close#SUCCESS} for a conversation that went well, or null. */
  public CompletionStage<SessionReply> close(String sessionId, String by, String outcome) {
    return answered(session(sessionId).ask(replyTo -> new SessionCommand.Close(by, outcome, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> startSequence(String sessionId, String name, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionCommand.StartSequence(name, by, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> stopSequence(String sessionId, String name, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionCommand.StopSequence(name, by, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> reopen(String sessionId, String by) {
    return answered(session(sessionId).ask(replyTo -> new SessionCommand.Reopen(by, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> decide(String sessionId, String approvalId, boolean approve, String decidedBy) {
    return answered(session(sessionId).ask(
        replyTo -> new SessionCommand.Decide(approvalId, approve, decidedBy, replyTo), askTimeout));
  }

  public CompletionStage<SessionReply> deliveryReceipt(
      String sessionId, String providerMessageId, DeliveryStatus status, String reason) {
    return answered(session(sessionId).ask(
        replyTo -> new SessionCommand.DeliveryReceipt(providerMessageId, status, reason, replyTo), askTimeout));
  }

  /** Brings a conversation into memory so it resumes unfinished work. */
  public void wake(String sessionId) {
    session(sessionId).tell(new SessionCommand.Wake("overdue work"));
  }

  private EntityRef<SessionCommand> session(String sessionId) {
    return sharding.entityRefFor(SessionEntity.TYPE_KEY, sessionId);
  }

  /** Pekko's answer as a plain future: dependent stages run on the dispatcher, never on the common pool. */
  private <T> CompletionStage<T> answered(CompletionStage<T> answer) {
    return Stages.on(answer, executor);
  }
}
