package io.layercake.runtime.session;

import io.layercake.config.Costs;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.bookings.BookingOutcome;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.session.SessionEvent.FollowupScheduled;
import io.layercake.runtime.session.SessionEvent.ToolRan;
import io.layercake.runtime.tools.Tool;
import io.layercake.runtime.tools.ToolResults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tool calls of one model answer as a turn runs them, in order: each becomes a {@link ToolRan}
 * with the result the model is told next and what it costs (a scheduled follow-up, a booking's
 * reminder with it). A call that needs a person's approval stops the round there; a hand-off ends the
 * turn once the round is written; a call a person decided on later is {@link #decided}. Decides and
 * writes nothing itself: the conversation persists the events, a replay only reads them.
 */
public final class TurnTools {
  private TurnTools() {}

  /**
   * Where the calls run: the turn and how many tool calls it made before these, the agent, the
   * catalog's costs, the bookings made for these calls before the answer came back (by call id),
   * the id and expiry an approval would get, and now.
   */
  public record Context(String sessionId, int turn, int toolsSoFar, int maxToolRounds, AgentConfig config, Costs costs,
      Map<String, BookingOutcome> bookings, String approvalId, Instant approvalExpiresAt, Instant now) {}

  /**
   * The events of the calls run; {@code approval}: the call that waits for a person, the calls before
   * it run (null when none waits); {@code handoffReason}: the agent handed the conversation to people.
   */
  public record Outcome(List<SessionEvent> events, Approval approval, String handoffReason) {
    /** The tool calls that ran, in order. */
    public List<ToolRan> ran() {
      return events.stream().filter(ToolRan.class::isInstance).map(ToolRan.class::cast).toList();
    }
  }

  public static Outcome run(Context context, List<ModelReply.ToolCallRequest> calls) {
    List<SessionEvent> events = new ArrayList<>();
    String handoffReason = null;
    int turn = context.turn();
    Instant now = context.now();
    int budget = context.maxToolRounds() - context.toolsSoFar();
    for (ModelReply.ToolCallRequest call : calls.subList(0, Math.max(0, Math.min(budget, calls.size())))) {
      Map<String, String> arguments = Tool.arguments(call.arguments());
      Optional<Tool> tool = Tool.named(call.name()).filter(known -> context.config().tools().contains(known.toolName()));
      if (tool.isEmpty()) {
        events.add(new ToolRan(turn, call.id(), call.name(), arguments, ToolResults.unknown(call.name()), false, 0, now));
        continue;
      }
      long cost = context.costs().toolCall(tool.get().toolName());
      if (tool.get().needsApproval(context.config().autonomy())) {
        return new Outcome(events, new Approval(context.approvalId(), turn, ApprovalKind.TOOL, call.id(), tool.get().toolName(),
            arguments, null, context.approvalExpiresAt(), null), null);
      }
      switch (tool.get()) {
        case HANDOFF_TO_HUMAN -> {
          handoffReason = arguments.getOrDefault("reason", "the agent asked for a person");
          events.add(new ToolRan(turn, call.id(), call.name(), arguments, ToolResults.handedOff(), true, cost, now));
        }
        case CAPTURE_LEAD -> events.add(new ToolRan(turn, call.id(), call.name(), arguments, ToolResults.leadCaptured(), true, cost,
            now));
        case BOOK_APPOINTMENT -> {
          BookingOutcome outcome = context.bookings().getOrDefault(call.id(),
              BookingOutcome.requested(arguments.get("service"), arguments.get("requested_time")));
          events.add(new ToolRan(turn, call.id(), call.name(), arguments, outcome.text(), outcome.done(), outcome.done() ? cost : 0,
              now));
          outcome.reminder().ifPresent(reminder -> events.add(
              new FollowupScheduled(reminder.reminderId(), reminder.dueAt(), reminder.text(), now, SessionState.Followup.REMINDER)));
        }
        case SCHEDULE_FOLLOWUP -> {
          Optional<Duration> delay = FollowupDelay.parse(arguments.get("delay"));
          String text = arguments.getOrDefault("text", "").strip();
          if (delay.isEmpty() || text.isEmpty() || text.length() > InboundMessage.MAX_TEXT) {
            events.add(new ToolRan(turn, call.id(), call.name(), arguments, ToolResults.followupRefused(), false, 0, now));
          } else {
            String followupId = context.sessionId() + ":" + turn + ":" + (context.toolsSoFar() + events.size() + 1);
            Instant dueAt = now.plus(delay.get());
            events.add(new FollowupScheduled(followupId, dueAt, text, now));
            events.add(new ToolRan(turn, call.id(), call.name(), arguments, ToolResults.followupScheduled(dueAt), true, cost, now));
          }
        }
        case START_SEQUENCE -> {
          String name = arguments.getOrDefault("name", "").strip();
          events.add(name.isEmpty()
              ? new ToolRan(turn, call.id(), call.name(), arguments, ToolResults.sequenceUnnamed(), false, 0, now)
              : new ToolRan(turn, call.id(), call.name(), arguments, ToolResults.sequenceStarts(name), true, cost, now));
        }
      }
    }
    return new Outcome(events, null, handoffReason);
  }

  /**
   * The tool call a person decided on ({@code expired}: nobody did in time, which counts as no): as
   * approved, the booking request is recorded for the business to arrange, and charged; as refused, the
   * model is told to say so. Only bookings wait for approval.
   */
  public static ToolRan decided(Approval approval, boolean approved, boolean expired, Costs costs, Instant now) {
    Map<String, String> arguments = approval.arguments();
    return new ToolRan(approval.turn(), approval.callId(), approval.toolName(), arguments,
        approved
            ? BookingOutcome.requested(arguments.get("service"), arguments.get("requested_time")).text()
            : "The business did not approve this request" + (expired ? " in time" : "")
                + ". Tell the customer it is not booked and offer to have someone get in touch.",
        approved, approved ? costs.toolCall(approval.toolName()) : 0, now);
  }
}
