package io.layercake.runtime.session;

import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.serialization.JsonSerializable;
import io.layercake.runtime.session.SessionEvent.*;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a conversation remembers: bounded windows (seen message ids, the model's context, recent
 * outbound messages), the turn in flight and everything still to do. The full history is in the
 * journal and the read model. Immutable: {@link #apply} returns the next state.
 *
 * @param seenMessageIds inbound provider ids already recorded, oldest first, at most the configured window
 * @param pending inbound messages the agent has yet to answer, in order
 * @param outbox outbound messages not yet sent, then the most recent sent ones (for delivery receipts)
 * @param optedOut the contact texted an opt-out keyword (SMS STOP) and has not opted in again: nothing is sent to them
 * @param lease the credits this conversation holds from its organization for turns to come; null when it holds none
 * @param bookedAt when an appointment was last booked in this conversation; null when none was
 * @param windows how much the conversation remembers, as its journal says ({@link ConversationWindows#UNRECORDED}
 *     for conversations started before it was recorded): never today's settings, so a replay rebuilds the same state
 */
public record SessionState(
    Profile profile,
    Status status,
    String owner,
    List<String> seenMessageIds,
    List<ContextEntry> context,
    List<Inbound> pending,
    Turn turn,
    int turns,
    List<Approval> approvals,
    List<Outbound> outbox,
    int outbounds,
    List<Followup> followups,
    Instant lastInboundAt,
    Instant remindAt,
    long creditsUsed,
    boolean creditsExhausted,
    long messages,
    boolean optedOut,
    Lease lease,
    Instant bookedAt,
    ConversationWindows windows)
    implements JsonSerializable {

  /** The owner of a conversation the agent answers. */
  public static final String AGENT = "agent";
  /** Sent messages kept for their delivery receipts. */
  static final int RECENT_OUTBOUND = 50;
  static final String HUMAN_STRETCH_ENDED = "A person from the team handled the conversation until here; the human stretch ended"
      + " and you answer again.";
  /** The model's note when the customer wrote again before it answered, under the interrupt policy. */
  static final String INTERRUPTED_NOTE = "The customer wrote again before you answered: answer their latest message.";

  public static final SessionState EMPTY = new SessionState(
      null, Status.ACTIVE, AGENT, List.of(), List.of(), List.of(), null, 0, List.of(), List.of(), 0, List.of(), null,
      null, 0, false, 0, false, null, null, ConversationWindows.UNRECORDED);

  public SessionState {
    seenMessageIds = List.copyOf(seenMessageIds);
    context = List.copyOf(context);
    pending = List.copyOf(pending);
    approvals = List.copyOf(approvals);
    outbox = List.copyOf(outbox);
    followups = List.copyOf(followups);
    windows = windows == null || windows.equals(ConversationWindows.UNRECORDED) ? ConversationWindows.UNRECORDED : windows;
  }

  public enum Status {
    ACTIVE,
    HANDED_OFF,
    CLOSED
  }

  /** A message of the model's window; {@code messageId} is the inbound provider id, if any. */
  public record ContextEntry(ConversationMessage.Role role, String text, String messageId) implements JsonSerializable {}

  /** An inbound message waiting for, or being answered by, a turn. */
  public record Inbound(String messageId, String text, Instant at) implements JsonSerializable {}

  /** A tool the model called in the turn, and what it returned. */
  public record ToolResult(String callId, String name, Map<String, String> arguments, String result, long cost)
      implements JsonSerializable {
    public ToolResult {
      arguments = Map.copyOf(arguments);
    }
  }

  /**
   * The turn in flight. Its reservation id is derived from the session and turn number, so a turn
   * resumed after a crash finds its own reservation.
   *
   * @param notes what the model must know on its next call (a rejected draft)
   * @param settlement what to settle once the turn has an outcome; null while it has none
   */
  public record Turn(
      int number,
      String reservationId,
      List<Inbound> messages,
      long estimate,
      Stage stage,
      List<ToolResult> tools,
      List<String> notes,
      boolean holdingSent,
      Settlement settlement)
      implements JsonSerializable {
    public Turn {
      messages = List.copyOf(messages);
      tools = List.copyOf(tools);
      notes = List.copyOf(notes);
    }

    List<String> messageIds() {
      return messages.stream().map(Inbound::messageId).toList();
    }

    Turn with(Stage nextStage, Settlement nextSettlement) {
      return new Turn(number, reservationId, messages, estimate, nextStage, tools, notes, holdingSent, nextSettlement);
    }

    List<CostLine> costs(long aiReply) {
      List<CostLine> lines = new ArrayList<>();
      lines.add(new CostLine("ai_reply", aiReply));
      for (ToolResult tool : tools) {
        if (tool.cost() > 0) {
          lines.add(new CostLine("tool:" + tool.name(), tool.cost()));
        }
      }
      return lines;
    }
  }

  public enum Stage {
    /** Reserving credits and asking the model (again, after a tool round or a restart). */
    THINKING,
    /** Paused until a person approves or rejects. */
    AWAITING_APPROVAL,
    /** The outcome is recorded; the reservation is being committed or released. */
    SETTLING
  }

  /** How a turn's reservation ends: committed for {@code breakdown}, or released when {@code commit} is false. */
  public record Settlement(boolean commit, long cost, List<CostLine> breakdown) implements JsonSerializable {
    public Settlement {
      breakdown = List.copyOf(breakdown);
    }

    static final Settlement RELEASE = new Settlement(false, 0, List.of());
  }

  /** An outbound message and what the channel said about it. */
  public record Outbound(
      String outboundId, OutboundKind kind, String author, String text, MessageTemplate template, DeliveryStatus status,
      String providerMessageId, String failure, Instant at)
      implements JsonSerializable {
    Outbound with(DeliveryStatus nextStatus, String nextProviderId, String nextFailure) {
      return new Outbound(outboundId, kind, author, text, template, nextStatus,
          nextProviderId == null ? providerMessageId : nextProviderId, nextFailure, at);
    }
  }

  /** A message the agent will send later unless the customer writes first. */
  /** {@code purpose}: null for the agent's follow-up (dropped when the customer writes first), or {@link #REMINDER}. */
  /**
   * A message to send later. {@code purpose}: null for the agent's follow-up, else {@link #REMINDER},
   * {@link #SEQUENCE} (then {@code sequence} says which run and step) or {@link #REVIEW}.
   */
  public record Followup(String followupId, Instant dueAt, String text, String purpose, SequenceRun sequence) implements JsonSerializable {
    /** An appointment's reminder: it stands whoever has the conversation and whatever the customer writes. */
    public static final String REMINDER = "appointment-reminder";
    /** A step of a follow-up sequence. */
    public static final String SEQUENCE = "sequence";
    /** A review request after a booking or a successful conversation. */
    public static final String REVIEW = "review-request";

    public Followup(String followupId, Instant dueAt, String text, String purpose) {
      this(followupId, dueAt, text, purpose, null);
    }

    public boolean reminder() {
      return REMINDER.equals(purpose);
    }

    /** A sequence's step or a review request: charged, and sent into a closed conversation too. */
    public boolean outreach() {
      return SEQUENCE.equals(purpose) || REVIEW.equals(purpose);
    }

    /** The id without the quiet-hours suffix a moved follow-up gets: the same for every move. */
    public String originalId() {
      return followupId.replaceAll("-quiet\\d+$", "");
    }
  }

  // ---- queries ----

  public boolean started() {
    return profile != null;
  }

  public String sessionId() {
    return profile.sessionId();
  }

  public boolean agentOwns() {
    return status == Status.ACTIVE && AGENT.equals(owner);
  }

  boolean seen(String messageId) {
    return seenMessageIds.contains(messageId);
  }

  Optional<Approval> approval(String approvalId) {
    return approvals.stream().filter(approval -> approval.approvalId().equals(approvalId)).findFirst();
  }

  Optional<Outbound> nextToSend() {
    return outbox.stream().filter(outbound -> outbound.status() == DeliveryStatus.QUEUED).findFirst();
  }

  Optional<Outbound> outbound(String outboundId) {
    return outbox.stream().filter(outbound -> outbound.outboundId().equals(outboundId)).findFirst();
  }

  Optional<Outbound> sentAs(String providerMessageId) {
    return outbox.stream().filter(outbound -> providerMessageId.equals(outbound.providerMessageId())).findFirst();
  }

  /** The follow-up sequences under way, each in its pending step. */
  public List<Followup> sequenceSteps() {
    return followups.stream().filter(followup -> followup.sequence() != null).toList();
  }

  Optional<Followup> followup(String followupId) {
    return followups.stream().filter(followup -> followup.followupId().equals(followupId)).findFirst();
  }

  /**
   * The window the model sees for {@code turn}: the context without the messages of later turns,
   * with the messages this turn answers last (replies to earlier messages may have been written
   * after they arrived), then the notes of this turn.
   */
  List<ConversationMessage> window(Turn forTurn) {
    int size = windows.contextMessages();
    List<String> apart = new ArrayList<>(pending.stream().map(Inbound::messageId).toList());
    apart.addAll(forTurn.messageIds());
    List<ConversationMessage> window = new ArrayList<>();
    for (ContextEntry entry : context) {
      if (entry.messageId() == null || !apart.contains(entry.messageId())) {
        window.add(new ConversationMessage(entry.role(), entry.text()));
      }
    }
    forTurn.messages().forEach(message -> window.add(new ConversationMessage(ConversationMessage.Role.CUSTOMER, message.text())));
    forTurn.notes().forEach(note -> window.add(new ConversationMessage(ConversationMessage.Role.NOTE, note)));
    return window.size() <= size ? window : window.subList(window.size() - size, window.size());
  }

  // ---- transitions ----

  SessionState apply(SessionEvent event) {
    if (event instanceof AgentReplied e && e.compound()) {
      SessionState result = this;
      for (SessionEvent part : e.parts()) {
        result = result.apply(part);
      }
      return result;
    }
    Builder next = new Builder(this);
    if (event instanceof ConversationStarted e) {
      next.profile = e.profile();
      if (e.windows() != null) {
        next.windows(e.windows());
      }
    } else if (event instanceof WindowsChanged e) {
      next.windows(e.windows());
    } else if (event instanceof Reopened) {
      next.status = Status.ACTIVE;
      next.owner = AGENT;
      next.remindAt = null;
    } else if (event instanceof MessageReceived e) {
      next.seen(e.messageId());
      next.context(new ContextEntry(ConversationMessage.Role.CUSTOMER, e.text(), e.messageId()));
      if (e.forAgent()) {
        next.pending.change().add(new Inbound(e.messageId(), e.text(), e.at()));
      }
      // the window counts from when the customer wrote; a late redelivery of an old message never moves it back
      Instant written = e.writtenAt();
      next.lastInboundAt = lastInboundAt == null || written.isAfter(lastInboundAt) ? written : lastInboundAt;
      next.messages++;
    } else if (event instanceof ReactionReceived e) {
      next.seen(e.messageId());
    } else if (event instanceof NoticeReceived e) {
      next.seen(e.messageId());
      next.messages++;
    } else if (event instanceof TurnStarted e) {
      List<Inbound> taken = next.pending.read().stream().filter(inbound -> e.messageIds().contains(inbound.messageId())).toList();
      next.pending.change().removeAll(taken);
      next.turn = new Turn(e.turn(), e.reservationId(), taken, e.estimate(), Stage.THINKING, List.of(), List.of(), false, null);
      next.turns = e.turn();
    } else if (event instanceof TurnRestarted e) {
      List<Inbound> joined = next.pending.read().stream().filter(inbound -> e.messageIds().contains(inbound.messageId())).toList();
      next.pending.change().removeAll(joined);
      List<Inbound> answered = new ArrayList<>(turn.messages());
      answered.addAll(joined);
      List<String> notes = turn.notes();
      if (e.interrupted() && !notes.contains(INTERRUPTED_NOTE)) {
        notes = new ArrayList<>(notes);
        notes.add(INTERRUPTED_NOTE);
      }
      next.turn = new Turn(turn.number(), turn.reservationId(), answered, turn.estimate(), turn.stage(), turn.tools(),
          notes, turn.holdingSent(), turn.settlement());
    } else if (event instanceof ToolRan e) {
      List<ToolResult> tools = new ArrayList<>(turn.tools());
      tools.add(new ToolResult(e.callId(), e.name(), e.arguments(), e.result(), e.cost()));
      next.turn = new Turn(turn.number(), turn.reservationId(), turn.messages(), turn.estimate(), Stage.THINKING, tools,
          turn.notes(), turn.holdingSent(), null);
      if (e.done() && io.layercake.runtime.tools.Tool.BOOK_APPOINTMENT.toolName().equals(e.name())) {
        next.bookedAt = e.at();
      }
    } else if (event instanceof ApprovalRequested e) {
      next.approvals.change().add(e.approval());
      next.turn = turn.with(Stage.AWAITING_APPROVAL, null);
    } else if (event instanceof ApprovalDecided e) {
      Approval decided = approval(e.approvalId()).orElseThrow();
      next.approvals.change().remove(decided);
      List<String> notes = new ArrayList<>(turn.notes());
      if (decided.kind() == ApprovalKind.REPLY && !e.approved()) {
        notes.add("A person from the business rejected your draft reply \"" + decided.draft()
            + "\". Write a different answer.");
      }
      next.turn = new Turn(turn.number(), turn.reservationId(), turn.messages(), turn.estimate(), Stage.THINKING,
          turn.tools(), notes, turn.holdingSent(), null);
    } else if (event instanceof AgentReplied e) {
      next.queue(new Outbound(e.outboundId(), OutboundKind.AGENT_REPLY, AGENT, e.text(), null, DeliveryStatus.QUEUED, null, null, e.at()));
      next.context(new ContextEntry(ConversationMessage.Role.AGENT, e.text(), null));
      next.turn = turn.with(Stage.SETTLING, new Settlement(true, e.cost(), e.breakdown()));
    } else if (event instanceof ReplyQueued e) {
      next.queue(new Outbound(e.outboundId(), e.kind(), e.author(), e.text(), e.template(), DeliveryStatus.QUEUED, null, null, e.at()));
      next.context(new ContextEntry(
          e.kind() == OutboundKind.HUMAN ? ConversationMessage.Role.HUMAN : ConversationMessage.Role.AGENT, e.text(), null));
      if (e.kind() == OutboundKind.HUMAN) {
        next.remindAt = null;
      }
      if (e.kind() == OutboundKind.HOLDING && turn != null) {
        next.turn = new Turn(turn.number(), turn.reservationId(), turn.messages(), turn.estimate(), next.turn.stage(),
            turn.tools(), turn.notes(), true, next.turn.settlement());
      }
    } else if (event instanceof CreditsRanOut) {
      next.turn = null;
      next.creditsExhausted = true;
    } else if (event instanceof TurnFailed || event instanceof TurnCancelled) {
      next.turn = turn.with(Stage.SETTLING, Settlement.RELEASE);
      next.approvals.clear();
    } else if (event instanceof ReservationRenewed e) {
      next.turn = new Turn(turn.number(), e.reservationId(), turn.messages(), turn.estimate(), turn.stage(), turn.tools(),
          turn.notes(), turn.holdingSent(), turn.settlement());
    } else if (event instanceof TurnSettled e) {
      boolean onLease = lease != null && turn != null && lease.reservationId().equals(turn.reservationId());
      next.lease = e.lease() != null ? e.lease() : onLease ? null : lease;
      next.turn = null;
      next.creditsUsed += e.charged();
      if (e.charged() > 0) {
        next.creditsExhausted = false;
      }
    } else if (event instanceof LeaseReturned e) {
      if (lease != null && lease.reservationId().equals(e.reservationId())) {
        next.lease = null;
      }
    } else if (event instanceof HandedOff e) {
      next.status = Status.HANDED_OFF;
      next.owner = e.by();
      next.remindAt = e.remindAt();
      next.pending.clear();
    } else if (event instanceof HandedBack) {
      next.status = Status.ACTIVE;
      next.owner = AGENT;
      next.remindAt = null;
      next.context(new ContextEntry(ConversationMessage.Role.NOTE, HUMAN_STRETCH_ENDED, null));
    } else if (event instanceof OwnerReminded) {
      next.remindAt = null;
    } else if (event instanceof Closed) {
      next.status = Status.CLOSED;
      next.remindAt = null;
      next.pending.clear();
    } else if (event instanceof FollowupScheduled e) {
      next.followups.change().add(new Followup(e.followupId(), e.dueAt(), e.text(), e.purpose(), e.sequence()));
    } else if (event instanceof FollowupCancelled e) {
      next.followups.change().removeIf(followup -> followup.followupId().equals(e.followupId()));
    } else if (event instanceof FollowupSent e) {
      next.followups.change().removeIf(followup -> followup.followupId().equals(e.followupId()));
      next.creditsUsed += e.credits();
    } else if (event instanceof DeliveryUpdated e) {
      next.updateDelivery(e);
    } else if (event instanceof ReplyBlocked e) {
      next.pending.change().removeIf(inbound -> e.messageIds().contains(inbound.messageId()));
    } else if (event instanceof ContactOptedOut) {
      next.optedOut = true;
      next.pending.clear();
    } else if (event instanceof ContactOptedIn) {
      next.optedOut = false;
    }
    return next.build();
  }

  /** A mutable copy for one transition. */
  private static final class Builder {
    private final SessionState from;
    ConversationWindows windows;
    Profile profile;
    Status status;
    String owner;
    final Changing<String> seen;
    final Changing<ContextEntry> context;
    final Changing<Inbound> pending;
    Turn turn;
    int turns;
    final Changing<Approval> approvals;
    final Changing<Outbound> outbox;
    int outbounds;
    final Changing<Followup> followups;
    Instant lastInboundAt;
    Instant remindAt;
    long creditsUsed;
    boolean creditsExhausted;
    long messages;
    boolean optedOut;
    Lease lease;
    Instant bookedAt;

    Builder(SessionState from) {
      this.from = from;
      windows = from.windows;
      profile = from.profile;
      status = from.status;
      owner = from.owner;
      seen = new Changing<>(from.seenMessageIds);
      context = new Changing<>(from.context);
      pending = new Changing<>(from.pending);
      turn = from.turn;
      turns = from.turns;
      approvals = new Changing<>(from.approvals);
      outbox = new Changing<>(from.outbox);
      outbounds = from.outbounds;
      followups = new Changing<>(from.followups);
      lastInboundAt = from.lastInboundAt;
      remindAt = from.remindAt;
      creditsUsed = from.creditsUsed;
      creditsExhausted = from.creditsExhausted;
      messages = from.messages;
      optedOut = from.optedOut;
      lease = from.lease;
      bookedAt = from.bookedAt;
    }

    void seen(String messageId) {
      seen.change().add(messageId);
      trimSeen();
    }

    private void trimSeen() {
      int over = seen.read().size() - windows.seenMessageIds();
      if (over > 0) {
        seen.change().subList(0, over).clear();
      }
    }

    void context(ContextEntry entry) {
      context.change().add(entry);
      trimContext();
    }

    void windows(ConversationWindows changed) {
      windows = changed;
      trimSeen();
      trimContext();
    }

    private void trimContext() {
      int over = context.read().size() - windows.contextMessages();
      if (over > 0) {
        context.change().subList(0, over).clear();
      }
    }

    void queue(Outbound outbound) {
      outbox.change().add(outbound);
      outbounds++;
      messages++;
      trimOutbox();
    }

    void updateDelivery(DeliveryUpdated e) {
      List<Outbound> before = outbox.read();
      for (int i = 0; i < before.size(); i++) {
        Outbound outbound = before.get(i);
        if (outbound.outboundId().equals(e.outboundId())) {
          outbox.change().set(i, outbound.with(e.status(), e.providerMessageId(), e.reason()));
        }
      }
      trimOutbox();
    }

    /** Unsent messages always stay; of the sent ones, the most recent. */
    private void trimOutbox() {
      long sent = outbox.read().stream().filter(outbound -> outbound.status() != DeliveryStatus.QUEUED).count();
      if (sent <= RECENT_OUTBOUND) {
        return;
      }
      List<Outbound> trimmed = outbox.change();
      for (int i = 0; i < trimmed.size() && sent > RECENT_OUTBOUND; ) {
        if (trimmed.get(i).status() != DeliveryStatus.QUEUED) {
          trimmed.remove(i);
          sent--;
        } else {
          i++;
        }
      }
    }

    SessionState build() {
      Objects.requireNonNull(from);
      return new SessionState(profile, status, owner, seen.read(), context.read(), pending.read(), turn, turns, approvals.read(),
          outbox.read(), outbounds, followups.read(), lastInboundAt, remindAt, creditsUsed, creditsExhausted, messages, optedOut,
          lease, bookedAt, windows);
    }
  }

  /**
   * One of the state's lists during a transition: shared with the state before until it first changes, then
   * copied once. Most events touch one or two of the six lists, and the state's constructor keeps an unchanged
   * (already immutable) list as it is, so an event no longer copies the lists it leaves alone (twice each).
   */
  private static final class Changing<T> {
    private final List<T> before;
    private List<T> changed;

    Changing(List<T> before) {
      this.before = before;
    }

    List<T> read() {
      return changed != null ? changed : before;
    }

    List<T> change() {
      if (changed == null) {
        changed = new ArrayList<>(before);
      }
      return changed;
    }

    void clear() {
      if (!read().isEmpty()) {
        changed = new ArrayList<>();
      }
    }
  }
}
