package io.layercake.runtime.session;

import io.layercake.runtime.session.SessionEvent.*;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A conversation's journal as a step-by-step story: each event in words, its details, and the state
 * of the conversation after it. Built from the events alone, so it shows what happened and why
 * without a debugger.
 */
public final class ConversationTimeline {
  private ConversationTimeline() {}

  /** One event of the journal, with its sequence number. */
  public record Entry(long sequence, SessionEvent event) {}

  public record Step(long sequence, Instant at, String type, String summary, Map<String, Object> details, After after) {}

  /** The conversation after a step. */
  public record After(String status, String owner, Integer turn, String turnStage, int queuedMessages, int pendingApprovals,
      int unsentMessages, long creditsUsed) {}

  public static List<Step> of(List<Entry> entries) {
    List<Step> steps = new ArrayList<>();
    SessionState state = SessionState.EMPTY;
    Map<Integer, Instant> turnStarts = new HashMap<>();
    for (Entry entry : entries) {
      // A reply that also starts and settles its turn is one journal event told as the three steps it stands for.
      List<SessionEvent> parts = entry.event() instanceof AgentReplied reply ? reply.parts() : List.of(entry.event());
      for (SessionEvent event : parts) {
        state = state.apply(event);
        Map<String, Object> details = new LinkedHashMap<>();
        String summary = describe(event, details, turnStarts);
        steps.add(new Step(entry.sequence(), event.at(), event.getClass().getSimpleName(), summary, details, after(state)));
      }
    }
    return steps;
  }

  private static String describe(SessionEvent event, Map<String, Object> details, Map<Integer, Instant> turnStarts) {
    if (event instanceof ConversationStarted e) {
      details.put("agentId", e.profile().agentId());
      return "Conversation started with " + e.profile().contact() + " on " + e.profile().channel();
    }
    if (event instanceof MessageReceived e) {
      details.put("messageId", e.messageId());
      return "Message in: \"" + e.text() + "\"" + (e.forAgent() ? "" : " (people own the conversation: the agent does not answer)");
    }
    if (event instanceof ReactionReceived e) {
      details.put("messageId", e.messageId());
      details.put("reactsTo", e.reactsTo());
      details.put("outboundId", e.outboundId());
      details.put("emoji", e.emoji());
      String target = e.outboundId() == null ? e.reactsTo() : e.outboundId();
      return (e.emoji() == null ? "Reaction removed from " + target : "Reaction " + e.emoji() + " to " + target)
          + " (no turn)";
    }
    if (event instanceof NoticeReceived e) {
      details.put("messageId", e.messageId());
      details.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
      return "Message in without content: \"" + e.text() + "\" (recorded; the agent does not answer)";
    }
    if (event instanceof TurnStarted e) {
      turnStarts.put(e.turn(), e.at());
      details.put("messageIds", e.messageIds());
      details.put("reservationId", e.reservationId());
      details.put("estimate", e.estimate());
      return "Turn " + e.turn() + " started" + (e.messageIds().size() > 1 ? ", answering " + e.messageIds().size() + " messages together"
          : "") + "; reserving " + e.estimate() + " credits";
    }
    if (event instanceof TurnRestarted e) {
      details.put("messageIds", e.messageIds());
      details.put("interrupted", e.interrupted());
      return "Turn " + e.turn() + " took in " + e.messageIds().size() + " message(s) that arrived before it answered; the model"
          + (e.interrupted() ? " starts over, answering the latest" : " starts over with all of them");
    }
    if (event instanceof ReservationRenewed e) {
      details.put("reservationId", e.reservationId());
      return "Turn " + e.turn() + " reserved again (its hold had lapsed)";
    }
    if (event instanceof ToolRan e) {
      details.put("arguments", e.arguments());
      details.put("result", e.result());
      details.put("cost", e.cost());
      return "Tool " + e.name() + " " + (e.done() ? "ran" : "did not run") + ": " + e.result();
    }
    if (event instanceof ApprovalRequested e) {
      details.put("approvalId", e.approval().approvalId());
      details.put("expiresAt", e.approval().expiresAt());
      return "Approval requested for " + (e.approval().kind() == ApprovalKind.TOOL
          ? "tool " + e.approval().toolName() + " " + e.approval().arguments() : "the draft \"" + e.approval().draft() + "\"");
    }
    if (event instanceof ApprovalDecided e) {
      details.put("approvalId", e.approvalId());
      return "Approval " + (e.approved() ? "approved" : e.expired() ? "expired (counts as rejected)" : "rejected") + " by " + e.decidedBy();
    }
    if (event instanceof AgentReplied e) {
      details.put("outboundId", e.outboundId());
      details.put("provider", e.provider());
      details.put("model", e.model());
      details.put("inputTokens", e.inputTokens());
      details.put("outputTokens", e.outputTokens());
      details.put("documentIds", e.documentIds());
      details.put("breakdown", e.breakdown());
      Instant started = turnStarts.get(e.turn());
      if (started != null) {
        details.put("turnMillis", Duration.between(started, e.at()).toMillis());
      }
      return "Reply (turn " + e.turn() + ", " + e.provider() + "/" + e.model() + ", " + e.cost() + " credits): \"" + e.text() + "\"";
    }
    if (event instanceof ReplyQueued e) {
      details.put("outboundId", e.outboundId());
      return kind(e.kind()) + " queued (" + e.author() + "): \"" + e.text() + "\"";
    }
    if (event instanceof CreditsRanOut e) {
      return "Turn " + e.turn() + ": too few credits (" + e.available() + " available); the unavailable message goes out, free";
    }
    if (event instanceof TurnFailed e) {
      return "Turn " + e.turn() + " failed: " + e.reason() + "; its credits are released";
    }
    if (event instanceof TurnCancelled e) {
      return "Turn " + e.turn() + " cancelled: " + e.reason();
    }
    if (event instanceof TurnSettled e) {
      details.put("charged", e.charged());
      String charged = e.charged() > 0 ? e.charged() + " credits charged" : "nothing charged";
      if (e.lease() != null) {
        details.put("lease", e.lease().reservationId());
        return "Turn " + e.turn() + " settled: " + charged + " on lease " + e.lease().reservationId() + " ("
            + e.lease().spent() + " of " + e.lease().granted() + " credits spent)";
      }
      return "Turn " + e.turn() + " settled: " + charged;
    }
    if (event instanceof LeaseReturned e) {
      details.put("charged", e.charged());
      return "Lease " + e.reservationId() + " returned: the organization charged " + e.charged() + " for the "
          + e.spent() + " credits its turns cost and took the rest back";
    }
    if (event instanceof HandedOff e) {
      return "Handed to " + e.by() + ": " + e.reason();
    }
    if (event instanceof HandedBack e) {
      return "Handed back to the agent by " + e.by() + " (the model sees that the human stretch ended)";
    }
    if (event instanceof OwnerReminded) {
      return "Nobody answered the hand-off in time: the organization was reminded";
    }
    if (event instanceof Closed e) {
      return "Closed by " + e.by() + (e.outcome() == null ? "" : " (" + e.outcome() + ")");
    }
    if (event instanceof Reopened e) {
      return "Reopened by " + e.by();
    }
    if (event instanceof WindowsChanged e) {
      details.put("seenMessageIds", e.windows().seenMessageIds());
      details.put("contextMessages", e.windows().contextMessages());
      return "Remembers " + e.windows().contextMessages() + " recent messages for the model and "
          + e.windows().seenMessageIds() + " message ids against duplicates from now on (the settings changed)";
    }
    if (event instanceof FollowupScheduled e) {
      String what = e.sequence() != null ? "Sequence " + e.sequence().name() + ", step " + (e.sequence().step() + 1) + " of "
          + e.sequence().steps().size() + ", scheduled for " : SessionState.Followup.REVIEW.equals(e.purpose())
          ? "Review request scheduled for " : "Follow-up scheduled for ";
      return what + e.dueAt() + ": \"" + e.text() + "\"";
    }
    if (event instanceof FollowupCancelled e) {
      return "Follow-up cancelled: " + e.reason();
    }
    if (event instanceof FollowupSent e) {
      details.put("credits", e.credits());
      return "Follow-up sent as " + e.outboundId() + (e.credits() > 0 ? " (" + e.credits() + " credits)" : "");
    }
    if (event instanceof SequenceStarted e) {
      details.put("runId", e.runId());
      return "Sequence " + e.name() + " started by " + e.by() + (e.trigger() == null ? "" : " on " + e.trigger()) + " (" + e.steps()
          + " steps)";
    }
    if (event instanceof SequenceEnded e) {
      details.put("runId", e.runId());
      return "Sequence " + e.name() + " ended: " + e.reason();
    }
    if (event instanceof SequenceRefused e) {
      return "Sequence " + e.name() + " not started: " + e.reason();
    }
    if (event instanceof DeliveryUpdated e) {
      details.put("providerMessageId", e.providerMessageId());
      return e.outboundId() + " " + e.status().name().toLowerCase(Locale.ROOT) + (e.reason() == null ? "" : ": " + e.reason());
    }
    if (event instanceof ReplyBlocked e) {
      details.put("messageIds", e.messageIds());
      details.put("reason", e.reason());
      return "No reply possible: " + e.reason() + "; the model was not called and nothing was charged";
    }
    if (event instanceof ContactOptedOut e) {
      details.put("messageId", e.messageId());
      details.put("keyword", e.keyword());
      return "The contact opted out (" + e.keyword() + "): nothing is sent to them until they opt in";
    }
    if (event instanceof ContactOptedIn e) {
      details.put("messageId", e.messageId());
      details.put("keyword", e.keyword());
      return "The contact opted in again (" + e.keyword() + ")";
    }
    return event.getClass().getSimpleName();
  }

  private static String kind(OutboundKind kind) {
    return switch (kind) {
      case AGENT_REPLY -> "Reply";
      case HUMAN -> "A person's message";
      case HOLDING -> "Holding message";
      case UNAVAILABLE -> "Unavailable message";
      case APOLOGY -> "Apology";
      case FOLLOWUP -> "Follow-up";
      case HELP -> "Help text (answer to HELP, free)";
    };
  }

  private static After after(SessionState state) {
    SessionState.Turn turn = state.turn();
    return new After(state.status().name().toLowerCase(Locale.ROOT), state.owner(), turn == null ? null : turn.number(),
        turn == null ? null : turn.stage().name().toLowerCase(Locale.ROOT), state.pending().size(), state.approvals().size(),
        (int) state.outbox().stream().filter(outbound -> outbound.status() == DeliveryStatus.QUEUED).count(),
        state.creditsUsed());
  }
}
