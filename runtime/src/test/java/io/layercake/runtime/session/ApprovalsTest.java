package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.Costs;
import io.layercake.runtime.llm.ModelReply.TokenUsage;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.session.SessionEvent.AgentReplied;
import io.layercake.runtime.session.SessionEvent.ApprovalDecided;
import io.layercake.runtime.session.SessionEvent.ApprovalRequested;
import io.layercake.runtime.session.SessionEvent.ReplyQueued;
import io.layercake.runtime.session.SessionEvent.ToolRan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A turn's approvals: what asking writes, what a due timer means, what a person's decision writes. */
class ApprovalsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final Costs COSTS = new Costs(2, 1, Map.of("book_appointment", 3L), 1, 1);
  private static final Profile PROFILE = new Profile("s-1", "org-1", "agent-1", "whatsapp", "+31611111111");

  @Test
  void askingWritesTheRequestAndTheHoldingMessageOncePerTurn() {
    SessionState thinking = turnStarted();
    Approval first = booking(Approvals.nextId("s-1", thinking.turn()), NOW.plusSeconds(600));

    List<SessionEvent> asked = Approvals.requested(thinking.turn(), first, List.of(), "out-1", NOW);
    SessionState waiting = apply(thinking, asked);
    Approval second = booking(Approvals.nextId("s-1", waiting.turn()), NOW.plusSeconds(600));

    assertThat(first.approvalId()).isEqualTo("s-1:1:approval-1");
    assertThat(asked).extracting(Object::getClass).containsExactly(ApprovalRequested.class, ReplyQueued.class);
    assertThat(((ReplyQueued) asked.get(1)).kind()).isEqualTo(OutboundKind.HOLDING);
    assertThat(((ReplyQueued) asked.get(1)).text()).isEqualTo(Approvals.HOLDING);
    assertThat(Approvals.requested(waiting.turn(), second, List.of(), "out-2", NOW))
        .as("the customer was told once already").extracting(Object::getClass).containsExactly(ApprovalRequested.class);
  }

  @Test
  void aTimerFindsTheApprovalWaitingExpiredOrGone() {
    Approval booking = booking("s-1:1:approval-1", NOW.plusSeconds(600));
    SessionState waiting = apply(turnStarted(), Approvals.requested(turnStarted().turn(), booking, List.of(), "out-1", NOW));
    Approval draft = Approvals.draft("s-1:1:approval-1", turnStarted().turn(),
        new ModelReply("We come on Monday.", List.of(), new TokenUsage(10, 5), "openai", "gpt-4o-mini"), List.of("doc-1"),
        NOW.plusSeconds(600));
    SessionState drafted = apply(turnStarted(), Approvals.requested(turnStarted().turn(), draft, List.of(), "out-1", NOW));

    assertThat(Approvals.due(waiting, "s-1:1:approval-1", NOW)).isEqualTo(Approvals.Due.NOT_YET);
    assertThat(Approvals.due(waiting, "s-1:1:approval-1", NOW.plusSeconds(600))).isEqualTo(Approvals.Due.REFUSED);
    assertThat(Approvals.due(drafted, "s-1:1:approval-1", NOW.plus(Duration.ofHours(1)))).isEqualTo(Approvals.Due.UNREVIEWED);
    assertThat(Approvals.due(waiting, "s-1:1:approval-9", NOW.plusSeconds(600))).isEqualTo(Approvals.Due.GONE);
    SessionState decided = apply(waiting, List.of(new ApprovalDecided("s-1:1:approval-1", true, "maria", false, NOW)));
    assertThat(Approvals.due(decided, "s-1:1:approval-1", NOW.plusSeconds(600))).isEqualTo(Approvals.Due.GONE);
    assertThat(Approvals.pending(decided, "s-1:1:approval-1")).isEmpty();
    assertThat(draft.drafter()).isEqualTo(new Drafter("openai", "gpt-4o-mini", 10, 5, List.of("doc-1")));
  }

  @Test
  void aDecisionOnABookingWritesItsResultChargedOnlyWhenApproved() {
    Approval booking = booking("s-1:1:approval-1", NOW.plusSeconds(600));
    SessionState waiting = apply(turnStarted(), Approvals.requested(turnStarted().turn(), booking, List.of(), "out-1", NOW));

    List<SessionEvent> approved = Approvals.decided(waiting, booking, true, "maria", false, COSTS, NOW, state -> null);
    List<SessionEvent> expired = Approvals.decided(waiting, booking, false, "expiry", true, COSTS, NOW, state -> null);

    assertThat(approved).extracting(Object::getClass).containsExactly(ApprovalDecided.class, ToolRan.class);
    assertThat((ToolRan) approved.get(1)).extracting(ToolRan::done, ToolRan::cost).containsExactly(true, 3L);
    assertThat((ToolRan) expired.get(1)).extracting(ToolRan::done, ToolRan::cost).containsExactly(false, 0L);
    assertThat(((ToolRan) expired.get(1)).result()).contains("did not approve this request in time");
    assertThat((ApprovalDecided) expired.get(0)).extracting(ApprovalDecided::decidedBy, ApprovalDecided::expired)
        .containsExactly("expiry", true);
  }

  @Test
  void anApprovedDraftBecomesTheTurnsReplyWrittenAfterTheDecisionAndARefusedOneWritesOnlyTheDecision() {
    Approval draft = Approvals.draft("s-1:1:approval-1", turnStarted().turn(),
        new ModelReply("We come on Monday.", List.of(), new TokenUsage(10, 5), "openai", "gpt-4o-mini"), List.of(), NOW);
    SessionState drafted = apply(turnStarted(), Approvals.requested(turnStarted().turn(), draft, List.of(), "out-1", NOW));
    AgentReplied reply = new AgentReplied(1, "out-2", "We come on Monday.", 2, List.of(), List.of(), "openai", "gpt-4o-mini",
        10, 5, NOW);
    List<SessionState> seen = new java.util.ArrayList<>();

    List<SessionEvent> approved = Approvals.decided(drafted, draft, true, "maria", false, COSTS, NOW, state -> {
      seen.add(state);
      return reply;
    });
    List<SessionEvent> refused = Approvals.decided(drafted, draft, false, "maria", false, COSTS, NOW, state -> reply);

    assertThat(approved).containsExactly(new ApprovalDecided("s-1:1:approval-1", true, "maria", false, NOW), reply);
    assertThat(seen).singleElement().satisfies(state -> assertThat(state.approvals()).isEmpty());
    assertThat(refused).containsExactly(new ApprovalDecided("s-1:1:approval-1", false, "maria", false, NOW));
  }

  private static Approval booking(String approvalId, Instant expiresAt) {
    return new Approval(approvalId, 1, ApprovalKind.TOOL, "c-1", "book_appointment",
        Map.of("service", "boiler service", "requested_time", "2026-12-08 10:00"), null, expiresAt, null);
  }

  private static SessionState turnStarted() {
    return apply(SessionState.EMPTY, List.of(new SessionEvent.ConversationStarted(PROFILE, NOW),
        new SessionEvent.MessageReceived("m-1", "Can you come on Monday?", true, NOW),
        new SessionEvent.TurnStarted(1, "s-1:1", List.of("m-1"), 3, NOW)));
  }

  private static SessionState apply(SessionState state, List<SessionEvent> events) {
    SessionState result = state;
    for (SessionEvent event : events) {
      result = result.apply(event);
    }
    return result;
  }
}
