package io.layercake.runtime.session;

import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a conversation is asked to do. The public commands travel between nodes as JSON; the
 * conversation's own asynchronous results are private to {@link SessionEntity}.
 */
public interface SessionCommand {
  /** An inbound message; answered with {@link SessionReply.Received} once it is persisted (or recognized as a duplicate). */
  record Receive(InboundMessage message, ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {}

  /** A person from the business writes: they take the conversation over and the message goes out. */
  record SendAsHuman(String author, String text, ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {}

  /** A person sends a template (the only message a channel with a closed messaging window takes); they take over. */
  record SendTemplate(String author, MessageTemplate template, ActorRef<SessionReply> replyTo)
      implements SessionCommand, JsonSerializable {}

  /**
   * The organization starts a conversation with a contact who has not written (business-initiated):
   * only a template may open it. The agent answers what the customer writes back.
   */
  record ReachOut(Profile profile, String author, MessageTemplate template, ActorRef<SessionReply> replyTo)
      implements SessionCommand, JsonSerializable {}

  record HandOff(String by, String reason, ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {}

  /** The agent answers again; the model sees that a human stretch ended. */
  record HandBack(String by, ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {}

  /** {@code outcome}: {@code success} marks a conversation that went well (a review request may follow); null otherwise. */
  record Close(String by, String outcome, ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {
    public static final String SUCCESS = "success";

    public Close(String by, ActorRef<SessionReply> replyTo) {
      this(by, null, replyTo);
    }
  }

  /** A person starts the agent's follow-up sequence {@code name} with this contact. */
  record StartSequence(String name, String by, ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {}

  /** A person ends the follow-up sequence {@code name} under way. */
  record StopSequence(String name, String by, ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {}

  record Reopen(String by, ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {}

  record Decide(String approvalId, boolean approve, String decidedBy, ActorRef<SessionReply> replyTo)
      implements SessionCommand, JsonSerializable {}

  record GetConversation(ActorRef<SessionReply> replyTo) implements SessionCommand, JsonSerializable {}

  /** A channel's receipt for an outbound message it accepted as {@code providerMessageId}. */
  record DeliveryReceipt(String providerMessageId, DeliveryStatus status, String reason, ActorRef<SessionReply> replyTo)
      implements SessionCommand, JsonSerializable {}

  /**
   * The business moved or dropped an appointment of this conversation: its reminder goes, and with
   * {@code dueAt} a new one is scheduled ({@code text} at {@code dueAt}).
   */
  record ArrangeReminder(String bookingId, Instant dueAt, String text, ActorRef<SessionReply> replyTo)
      implements SessionCommand, JsonSerializable {}

  /** Sent after a restart (by the waker) so the conversation resumes its unfinished work. */
  record Wake(String reason) implements SessionCommand, JsonSerializable {}

  /** Sharding's stop message for this entity; always local. */
  enum Stop implements SessionCommand {
    INSTANCE
  }
}
