package io.layercake.runtime.session;

import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What happened in a conversation, as its journal records it. The state is rebuilt from these
 * alone ({@link SessionState#apply}); projections read them by tag.
 */
public sealed interface SessionEvent extends JsonSerializable {
  /** When it happened. */
  Instant at();

  /**
   * {@code windows}: what the conversation remembers; null in events written before it was recorded
   * ({@link ConversationWindows#UNRECORDED}).
   */
  record ConversationStarted(Profile profile, Instant at, ConversationWindows windows) implements SessionEvent {
    public ConversationStarted(Profile profile, Instant at) {
      this(profile, at, null);
    }
  }

  /**
   * The conversation remembers this much from now on (the settings changed since it last wrote them);
   * its windows are trimmed to it at once.
   */
  record WindowsChanged(ConversationWindows windows, Instant at) implements SessionEvent {}

  record Reopened(String by, Instant at) implements SessionEvent {}

  /**
   * {@code forAgent}: the agent will answer it (false while people own the conversation). {@code sentAt}:
   * when the customer sent it by the provider's clock (a provider redelivers for days), never after
   * {@code at}; null when the channel gives no time and in events written before it was recorded,
   * which then count from their receipt {@code at}.
   */
  record MessageReceived(String messageId, String text, boolean forAgent, Instant at, Instant sentAt)
      implements SessionEvent {
    public MessageReceived(String messageId, String text, boolean forAgent, Instant at) {
      this(messageId, text, forAgent, at, null);
    }

    /** When the customer wrote: the provider's time, else the receipt. */
    public Instant writtenAt() {
      return sentAt == null ? at : sentAt;
    }
  }

  /**
   * The customer reacted to a message ({@code reactsTo}, the provider's id; {@code outboundId} when it
   * is one of ours still remembered); {@code emoji} null when they removed their reaction. No turn.
   */
  record ReactionReceived(String messageId, String reactsTo, String outboundId, String emoji, Instant at)
      implements SessionEvent {}

  /** A message without content (a sticker, an unsupported or system message): recorded, no turn. */
  record NoticeReceived(String messageId, InboundMessage.Kind kind, String text, Instant at) implements SessionEvent {}

  record TurnStarted(int turn, String reservationId, List<String> messageIds, long estimate, Instant at) implements SessionEvent {}

  /** A tool call and its result; {@code done} when the tool did what it does (recorded a lead, a booking, a follow-up). */
  record ToolRan(
      int turn, String callId, String name, Map<String, String> arguments, String result, boolean done, long cost, Instant at)
      implements SessionEvent {}

  record ApprovalRequested(Approval approval, Instant at) implements SessionEvent {}

  record ApprovalDecided(String approvalId, boolean approved, String decidedBy, boolean expired, Instant at)
      implements SessionEvent {}

  /**
   * The turn's answer, what it cost and which knowledge documents its prompt carried; queued for delivery.
   *
   * <p>On the common path the whole turn is this one event: {@code started} is the turn's start when
   * the turn had written nothing before its answer, and {@code settled} its settlement when the
   * organization had charged the turn before the answer was written. Either is null otherwise (and in
   * events written before they existed): the turn then has its own {@link TurnStarted} and
   * {@link TurnSettled} events. Readers apply {@link #parts()} in order.
   */
  record AgentReplied(
      int turn, String outboundId, String text, long cost, List<CostLine> breakdown, List<String> documentIds,
      String provider, String model, long inputTokens, long outputTokens, Instant at, TurnStarted started,
      TurnSettled settled)
      implements SessionEvent {
    public AgentReplied(
        int turn, String outboundId, String text, long cost, List<CostLine> breakdown, List<String> documentIds,
        String provider, String model, long inputTokens, long outputTokens, Instant at) {
      this(turn, outboundId, text, cost, breakdown, documentIds, provider, model, inputTokens, outputTokens, at, null, null);
    }

    /** True when this event also starts or settles its turn. */
    public boolean compound() {
      return started != null || settled != null;
    }

    /** The events this one stands for, in order: the turn's start, the reply itself, the settlement. */
    public List<SessionEvent> parts() {
      List<SessionEvent> parts = new ArrayList<>(3);
      if (started != null) {
        parts.add(started);
      }
      parts.add(compound() ? with(null, null) : this);
      if (settled != null) {
        parts.add(settled);
      }
      return parts;
    }

    AgentReplied with(TurnStarted start, TurnSettled settlement) {
      return new AgentReplied(turn, outboundId, text, cost, breakdown, documentIds, provider, model, inputTokens, outputTokens,
          at, start, settlement);
    }
  }

  /** Any other outbound message (a person's, a holding or apology message, a follow-up), queued for delivery. */
  record ReplyQueued(String outboundId, OutboundKind kind, String author, String text, MessageTemplate template, Instant at)
      implements SessionEvent {}

  /** The organization had too few credits: the unavailable message went out instead, free. */
  record CreditsRanOut(int turn, List<String> messageIds, long available, Instant at) implements SessionEvent {}

  /** The model or a step of the turn failed; the reservation is released and people take over. */
  record TurnFailed(int turn, String reason, Instant at) implements SessionEvent {}

  /** People took over (or closed the conversation) while the turn ran; its reservation is released. */
  record TurnCancelled(int turn, String reason, Instant at) implements SessionEvent {}

  /**
   * The turn's reservation lapsed before it could go on (a long pause for an approval, a long
   * crash): it goes on under a new reservation, so nothing it does is spent unchecked.
   */
  record ReservationRenewed(int turn, String reservationId, Instant at) implements SessionEvent {}

  /**
   * Messages that arrived while the turn's model was still working joined the turn, and the model
   * starts over: under the coalesce policy the turn answers them together with its earlier messages;
   * under interrupt ({@code interrupted}) the model is told to answer the latest (one reply still
   * covers them all). The turn keeps its reservation: the abandoned model call is not charged.
   */
  record TurnRestarted(int turn, List<String> messageIds, boolean interrupted, Instant at) implements SessionEvent {}

  /**
   * The turn's credits are settled: {@code charged} is what it cost. {@code lease}: the turn's
   * reservation stays open as the conversation's lease, spent up to the lease's {@code spent} (the
   * turn was charged there, not at the organization); null when the reservation was committed or
   * released (and in events written before leases existed).
   */
  record TurnSettled(int turn, List<String> messageIds, long charged, Instant at, Lease lease) implements SessionEvent {
    public TurnSettled(int turn, List<String> messageIds, long charged, Instant at) {
      this(turn, messageIds, charged, at, null);
    }
  }

  /**
   * The conversation gave its lease back: the organization charged {@code charged} for the
   * {@code spent} credits of the turns on it (less when its credits ran short) and took the rest back.
   */
  record LeaseReturned(String reservationId, long spent, long charged, Instant at) implements SessionEvent {}

  record HandedOff(String by, String reason, Instant remindAt, Instant at) implements SessionEvent {}

  record HandedBack(String by, Instant at) implements SessionEvent {}

  /** Nobody from the business answered a handed-off conversation in time; the organization is told again. */
  record OwnerReminded(Instant at) implements SessionEvent {}

  record Closed(String by, String outcome, Instant at) implements SessionEvent {
    public Closed(String by, Instant at) {
      this(by, null, at);
    }
  }

  /** {@code purpose}: null for the agent's follow-up, {@link SessionState.Followup#REMINDER} for an appointment's reminder. */
  /** {@code sequence}: the run and step, for a follow-up sequence's step; null otherwise. */
  record FollowupScheduled(String followupId, Instant dueAt, String text, Instant at, String purpose, SequenceRun sequence)
      implements SessionEvent {
    public FollowupScheduled(String followupId, Instant dueAt, String text, Instant at) {
      this(followupId, dueAt, text, at, null, null);
    }

    public FollowupScheduled(String followupId, Instant dueAt, String text, Instant at, String purpose) {
      this(followupId, dueAt, text, at, purpose, null);
    }
  }

  record FollowupCancelled(String followupId, String reason, Instant at) implements SessionEvent {}

  /** {@code credits}: what the organization was charged for it (outreach messages; 0 otherwise). */
  record FollowupSent(String followupId, String outboundId, long credits, Instant at) implements SessionEvent {
    public FollowupSent(String followupId, String outboundId, Instant at) {
      this(followupId, outboundId, 0, at);
    }
  }

  /** A follow-up sequence started: {@code by} a person, the agent, or an event ({@code trigger}). */
  record SequenceStarted(String runId, String name, String by, String trigger, int steps, Instant at) implements SessionEvent {}

  /** A follow-up sequence ended: all its steps went, or why it stopped. */
  record SequenceEnded(String runId, String name, String reason, Instant at) implements SessionEvent {}

  /** A sequence the agent named could not start (there is none of that name, or it is under way). */
  record SequenceRefused(String name, String by, String reason, Instant at) implements SessionEvent {}

  record DeliveryUpdated(String outboundId, DeliveryStatus status, String providerMessageId, String reason, Instant at)
      implements SessionEvent {}

  /**
   * The channel cannot carry a reply to the contact (a tier without platform SMS, no sender), known
   * before the model ran: these messages get no turn and cost nothing; the organization is told.
   */
  record ReplyBlocked(List<String> messageIds, String reason, Instant at) implements SessionEvent {}

  /** The contact texted an opt-out keyword ({@code keyword}, e.g. STOP): nothing goes out to them until they opt in. */
  record ContactOptedOut(String messageId, String keyword, Instant at) implements SessionEvent {}

  /** The contact texted an opt-in keyword ({@code keyword}, e.g. START): messages may go out again. */
  record ContactOptedIn(String messageId, String keyword, Instant at) implements SessionEvent {}
}
