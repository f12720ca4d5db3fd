package io.layercake.runtime.replay;

import io.layercake.config.Costs;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.bookings.BookingOutcome;
import io.layercake.runtime.channel.SmsSegments;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import io.layercake.runtime.session.FollowupDelay;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.RecordedTurn;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.tools.Tool;
import io.layercake.runtime.tools.ToolResults;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Answers a recorded turn as a candidate configuration would: the same window, the candidate's
 * prompt, knowledge and model, tool rounds as the conversation runs them. Nothing leaves: a tool
 * call is recorded and answered as if it had run, no message is sent, no credit is taken; what the
 * answer would cost is counted as the conversation counts it.
 */
public final class CandidateTurns {
  private final AgentResponder responder;
  private final Costs costs;
  private final int maxToolRounds;
  private final Clock clock;
  private final Executor executor;

  public CandidateTurns(AgentResponder responder, Costs costs, int maxToolRounds, Clock clock, Executor executor) {
    this.responder = responder;
    this.costs = costs;
    this.maxToolRounds = maxToolRounds;
    this.clock = clock;
    this.executor = executor;
  }

  /** What the candidate answers to the recorded turn. Fails when its model does, or answers nothing. */
  public CompletionStage<ReplayTurn.CandidateAnswer> answer(AgentConfig candidate, RecordedTurn recorded) {
    return step(candidate, recorded, new Rounds(List.of(), List.of(), List.of()));
  }

  /** The most one turn of the candidate costs before its reply's SMS segments: what a replay keeps in hand to start one. */
  public long estimate(AgentConfig candidate) {
    return Math.max(1, costs.aiReply() + candidate.tools().stream().mapToLong(costs::toolCall).sum());
  }

  /** How long one turn may take: its model calls, each with its wait for a place and its own timeout. */
  public Duration limit() {
    return responder.timeout().plus(responder.queueAllowance()).plusSeconds(5).multipliedBy(maxToolRounds + 1L);
  }

  /** The tool rounds so far: the model's view of them, the calls as recorded, and the tools that did what they do. */
  private record Rounds(List<ModelRequest.ToolRound> model, List<RecordedTurn.ToolCall> calls, List<String> done) {}

  private CompletionStage<ReplayTurn.CandidateAnswer> step(AgentConfig candidate, RecordedTurn recorded, Rounds rounds) {
    return responder.answer(candidate, recorded.window(), rounds.model()).thenComposeAsync(answer -> {
      ModelReply reply = answer.reply();
      if (!reply.toolCalls().isEmpty() && rounds.model().size() < maxToolRounds) {
        Rounds next = afterTools(candidate, rounds, reply.toolCalls());
        if (next.done().contains(Tool.HANDOFF_TO_HUMAN.toolName())) {
          String text = reply.text().isBlank() ? SessionEntity.HANDOFF_REPLY : reply.text();
          return CompletableFuture.completedFuture(answered(recorded, text, next, true));
        }
        return step(candidate, recorded, next);
      }
      if (reply.text().isBlank()) {
        return CompletableFuture.failedFuture(new IllegalStateException("the model gave an empty answer"));
      }
      return CompletableFuture.completedFuture(answered(recorded, reply.text(), rounds, false));
    }, executor);
  }

  private Rounds afterTools(AgentConfig candidate, Rounds rounds, List<ModelReply.ToolCallRequest> requested) {
    List<ModelRequest.ToolRound> model = new ArrayList<>(rounds.model());
    List<RecordedTurn.ToolCall> calls = new ArrayList<>(rounds.calls());
    List<String> done = new ArrayList<>(rounds.done());
    int budget = maxToolRounds - rounds.model().size();
    for (ModelReply.ToolCallRequest call : requested.subList(0, Math.min(budget, requested.size()))) {
      Map<String, String> arguments = Tool.arguments(call.arguments());
      Optional<Tool> tool = Tool.named(call.name()).filter(known -> candidate.tools().contains(known.toolName()));
      Optional<String> result = tool.flatMap(known -> resultAsIfRun(known, arguments));
      calls.add(new RecordedTurn.ToolCall(call.name(), arguments));
      model.add(new ModelRequest.ToolRound(call, result.orElseGet(() -> tool.isEmpty() ? ToolResults.unknown(call.name())
          : refusal(tool.get()))));
      if (result.isPresent()) {
        done.add(tool.get().toolName());
      }
    }
    return new Rounds(model, calls, done);
  }

  /** What the tool would have told the model had it run; empty when the conversation would have refused the call. */
  private Optional<String> resultAsIfRun(Tool tool, Map<String, String> arguments) {
    return switch (tool) {
      case HANDOFF_TO_HUMAN -> Optional.of(ToolResults.handedOff());
      case CAPTURE_LEAD -> Optional.of(ToolResults.leadCaptured());
      case BOOK_APPOINTMENT -> Optional.of(BookingOutcome.requested(arguments.get("service"), arguments.get("requested_time")).text());
      case SCHEDULE_FOLLOWUP -> {
        Optional<Duration> delay = FollowupDelay.parse(arguments.get("delay"));
        String text = arguments.getOrDefault("text", "").strip();
        yield delay.isEmpty() || text.isEmpty() || text.length() > InboundMessage.MAX_TEXT
            ? Optional.empty()
            : Optional.of(ToolResults.followupScheduled(clock.instant().plus(delay.get())));
      }
      case START_SEQUENCE -> {
        String name = arguments.getOrDefault("name", "").strip();
        yield name.isEmpty() ? Optional.empty() : Optional.of(ToolResults.sequenceStarts(name));
      }
    };
  }

  private static String refusal(Tool tool) {
    return tool == Tool.SCHEDULE_FOLLOWUP ? ToolResults.followupRefused() : ToolResults.sequenceUnnamed();
  }

  private ReplayTurn.CandidateAnswer answered(RecordedTurn recorded, String text, Rounds rounds, boolean handedOff) {
    long credits = costs.aiReply() + rounds.done().stream().mapToLong(costs::toolCall).sum()
        + (SmsSegments.CHANNEL.equals(recorded.channel()) ? costs.smsSegment() * SmsSegments.count(text) : 0);
    return new ReplayTurn.CandidateAnswer(text, rounds.calls(), handedOff, credits);
  }
}
