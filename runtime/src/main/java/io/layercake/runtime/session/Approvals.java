package io.layercake.runtime.session;

import io.layercake.config.Costs;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.session.SessionEvent.AgentReplied;
import io.layercake.runtime.session.SessionEvent.ApprovalDecided;
import io.layercake.runtime.session.SessionEvent.ApprovalRequested;
import io.layercake.runtime.session.SessionEvent.ReplyQueued;
import io.layercake.runtime.session.SessionState.Stage;
import io.layercake.runtime.session.SessionState.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A turn's approvals, apart from the entity's effects: the decision a person takes before a booking
 * (supervised autonomy) or the agent's drafted reply (draft autonomy) goes on. What asking writes, what
 * an approval's timer means when it fires, and what a decision writes.
 */
final class Approvals {
  /** What the customer is told while a person decides (once per turn). */
  static final String HOLDING = "Thanks! I've passed this on to the team to confirm; we'll get back to you shortly.";

  private Approvals() {}

  /** The id of the turn's next approval: one per tool call or note of the turn, so a resumed turn asks under the same id. */
  static String nextId(String sessionId, Turn turn) {
    return sessionId + ":" + turn.number() + ":approval-" + (turn.tools().size() + turn.notes().size() + 1);
  }

  /** The agent's reply as a draft a person approves before it goes out. */
  static Approval draft(String approvalId, Turn turn, ModelReply reply, List<String> documentIds, Instant expiresAt) {
    Drafter drafter = new Drafter(reply.provider(), reply.model(), reply.usage().inputTokens(), reply.usage().outputTokens(),
        documentIds);
    return new Approval(approvalId, turn.number(), ApprovalKind.REPLY, null, null, Map.of(), reply.text(), expiresAt, drafter);
  }

  /**
   * What asking for {@code approval} writes after {@code before} (the turn's tool calls up to it): the
   * request, and the holding message ({@code holdingOutboundId}) unless the turn sent it already.
   */
  static List<SessionEvent> requested(Turn turn, Approval approval, List<SessionEvent> before, String holdingOutboundId,
      Instant now) {
    List<SessionEvent> events = new ArrayList<>(before);
    events.add(new ApprovalRequested(approval, now));
    if (!turn.holdingSent()) {
      events.add(new ReplyQueued(holdingOutboundId, OutboundKind.HOLDING, SessionState.AGENT, HOLDING, null, now));
    }
    return events;
  }

  /** The approval {@code approvalId} while its turn still waits for it; empty once decided, expired or gone with its turn. */
  static Optional<Approval> pending(SessionState state, String approvalId) {
    return state.approval(approvalId).filter(approval -> state.turn() != null && state.turn().number() == approval.turn()
        && state.turn().stage() == Stage.AWAITING_APPROVAL);
  }

  /** What an approval's timer finds when it fires. */
  enum Due {
    /** Decided already, or its turn is gone: nothing to do. */
    GONE,
    /** Not expired yet (the timer fired early, or the entity restarted): wait again. */
    NOT_YET,
    /** A tool call nobody approved in time: refused, and the turn goes on. */
    REFUSED,
    /** A draft nobody reviewed in time: drafting again would only repeat the wait, so people take over. */
    UNREVIEWED
  }

  static Due due(SessionState state, String approvalId, Instant now) {
    Optional<Approval> approval = pending(state, approvalId);
    if (approval.isEmpty()) {
      return Due.GONE;
    }
    if (approval.get().expiresAt().isAfter(now)) {
      return Due.NOT_YET;
    }
    return approval.get().kind() == ApprovalKind.REPLY ? Due.UNREVIEWED : Due.REFUSED;
  }

  /**
   * What a decision writes: the decision, then the tool's result (a booking recorded and charged, or the
   * model told it was refused), or the draft as the turn's reply when it was approved
   * ({@code approvedDraft} writes it from the state with the decision applied).
   */
  static List<SessionEvent> decided(SessionState state, Approval approval, boolean approved, String decidedBy, boolean expired,
      Costs costs, Instant now, Function<SessionState, AgentReplied> approvedDraft) {
    List<SessionEvent> events = new ArrayList<>();
    events.add(new ApprovalDecided(approval.approvalId(), approved, decidedBy, expired, now));
    if (approval.kind() == ApprovalKind.TOOL) {
      events.add(TurnTools.decided(approval, approved, expired, costs, now));
    } else if (approved) {
      SessionState withDecision = state;
      for (SessionEvent event : events) {
        withDecision = withDecision.apply(event);
      }
      events.add(approvedDraft.apply(withDecision));
    }
    return events;
  }
}
