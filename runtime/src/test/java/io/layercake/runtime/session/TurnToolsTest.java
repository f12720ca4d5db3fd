package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.Costs;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.bookings.BookingOutcome;
import io.layercake.runtime.llm.ModelReply.ToolCallRequest;
import io.layercake.runtime.session.SessionEvent.FollowupScheduled;
import io.layercake.runtime.session.SessionEvent.ToolRan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A model answer's tool calls as the turn runs them: results, costs, follow-ups, approvals and the round's budget. */
class TurnToolsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");
  private static final Costs COSTS = new Costs(2, 1, Map.of("book_appointment", 3L), 1, 1);
  private static final List<String> ALL = List.of("handoff_to_human", "capture_lead", "book_appointment", "schedule_followup",
      "start_sequence");

  @Test
  void eachCallBecomesItsResultAndCostAndAFollowupIsScheduledWithIt() {
    TurnTools.Outcome outcome = TurnTools.run(context(AgentConfig.Autonomy.AUTONOMOUS, 0, Map.of()), List.of(
        call("c-1", "capture_lead", Map.of("need", "a new boiler")),
        call("c-2", "send_invoice", Map.of()),
        call("c-3", "schedule_followup", Map.of("delay", "2h", "text", "Any news?")),
        call("c-4", "schedule_followup", Map.of("delay", "90d", "text", "Too late")),
        call("c-5", "start_sequence", Map.of("name", " ")),
        call("c-6", "book_appointment", Map.of("service", "boiler service", "requested_time", "2026-12-08 10:00"))));

    assertThat(outcome.approval()).isNull();
    assertThat(outcome.handoffReason()).isNull();
    assertThat(outcome.ran()).extracting(ToolRan::name, ToolRan::done, ToolRan::cost).containsExactly(
        org.assertj.core.groups.Tuple.tuple("capture_lead", true, 1L),
        org.assertj.core.groups.Tuple.tuple("send_invoice", false, 0L),
        org.assertj.core.groups.Tuple.tuple("schedule_followup", true, 1L),
        org.assertj.core.groups.Tuple.tuple("schedule_followup", false, 0L),
        org.assertj.core.groups.Tuple.tuple("start_sequence", false, 0L),
        org.assertj.core.groups.Tuple.tuple("book_appointment", true, 3L));
    assertThat(outcome.ran().get(1).result()).isEqualTo("There is no tool called send_invoice here; answer without it.");
    assertThat(outcome.ran().get(5).result())
        .isEqualTo("The booking request (boiler service, 2026-12-08 10:00) is recorded; the business will confirm it.");
    FollowupScheduled followup = (FollowupScheduled) outcome.events().get(2);
    assertThat(followup.followupId()).as("session, turn, place in the turn's tool calls").isEqualTo("s-1:4:3");
    assertThat(followup.dueAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
    assertThat(outcome.ran().get(2).result()).isEqualTo("A follow-up is scheduled for " + followup.dueAt() + " unless the customer writes first.");
  }

  @Test
  void aBookingsReminderIsScheduledAndAHandOffEndsTheTurnWithItsReason() {
    BookingOutcome booked = new BookingOutcome("Booked.", true, Optional.empty(),
        Optional.of(new BookingOutcome.Reminder("reminder-b-1", NOW.plus(Duration.ofDays(1)), "See you tomorrow")));
    TurnTools.Outcome outcome = TurnTools.run(context(AgentConfig.Autonomy.AUTONOMOUS, 0, Map.of("c-1", booked)), List.of(
        call("c-1", "book_appointment", Map.of("service", "flush")),
        call("c-2", "handoff_to_human", Map.of("reason", "wants a quote"))));

    assertThat(outcome.events()).hasSize(3);
    assertThat(((FollowupScheduled) outcome.events().get(1)).purpose()).isEqualTo(SessionState.Followup.REMINDER);
    assertThat(outcome.handoffReason()).isEqualTo("wants a quote");
    assertThat(outcome.ran().get(1).result()).isEqualTo("A person from the team will take over.");
  }

  @Test
  void aCallThatNeedsApprovalStopsTheRoundAfterTheCallsBeforeIt() {
    TurnTools.Outcome outcome = TurnTools.run(context(AgentConfig.Autonomy.SUPERVISED, 0, Map.of()), List.of(
        call("c-1", "capture_lead", Map.of("need", "a quote")),
        call("c-2", "book_appointment", Map.of("service", "flush", "requested_time", "2026-12-08 10:00")),
        call("c-3", "handoff_to_human", Map.of())));

    assertThat(outcome.ran()).extracting(ToolRan::name).containsExactly("capture_lead");
    assertThat(outcome.approval().approvalId()).isEqualTo("s-1:4:approval-1");
    assertThat(outcome.approval().toolName()).isEqualTo("book_appointment");
    assertThat(outcome.approval().expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(outcome.handoffReason()).as("the hand-off after it did not run").isNull();
  }

  @Test
  void aDecidedBookingIsRecordedAndChargedWhenApprovedAndToldAsRefusedWhenNot() {
    Approval approval = TurnTools.run(context(AgentConfig.Autonomy.SUPERVISED, 0, Map.of()), List.of(
        call("c-2", "book_appointment", Map.of("service", "flush", "requested_time", "2026-12-08 10:00")))).approval();

    ToolRan approved = TurnTools.decided(approval, true, false, COSTS, NOW);
    ToolRan expired = TurnTools.decided(approval, false, true, COSTS, NOW);

    assertThat(approved.result()).isEqualTo("The booking request (flush, 2026-12-08 10:00) is recorded; the business will confirm it.");
    assertThat(approved.cost()).isEqualTo(3);
    assertThat(approved.callId()).isEqualTo("c-2");
    assertThat(expired.done()).isFalse();
    assertThat(expired.cost()).isZero();
    assertThat(expired.result()).startsWith("The business did not approve this request in time.");
  }

  @Test
  void aTurnRunsAtMostItsRoundsOfTools() {
    TurnTools.Outcome outcome = TurnTools.run(context(AgentConfig.Autonomy.AUTONOMOUS, 2, 3, Map.of()), List.of(
        call("c-1", "capture_lead", Map.of()), call("c-2", "capture_lead", Map.of())));

    assertThat(outcome.ran()).as("3 rounds, 2 used before").hasSize(1);
  }

  private static TurnTools.Context context(AgentConfig.Autonomy autonomy, int toolsSoFar, Map<String, BookingOutcome> bookings) {
    return context(autonomy, toolsSoFar, 10, bookings);
  }

  private static TurnTools.Context context(AgentConfig.Autonomy autonomy, int toolsSoFar, int maxToolRounds,
      Map<String, BookingOutcome> bookings) {
    AgentConfig config = new AgentConfig("org-1", "Piet", "", List.of(), ALL, autonomy, List.of(), AgentConfig.ModelChoice.LOCAL, null,
        null, List.of("en"), null);
    return new TurnTools.Context("s-1", 4, toolsSoFar, maxToolRounds, config, COSTS, bookings, "s-1:4:approval-1", NOW.plus(Duration.ofHours(1)),
        NOW);
  }

  private static ToolCallRequest call(String id, String name, Map<String, Object> arguments) {
    return new ToolCallRequest(id, name, arguments);
  }
}
