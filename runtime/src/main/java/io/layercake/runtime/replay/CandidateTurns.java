package io.layercake.runtime.replay;

import io.layercake.config.Costs;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.channel.SmsSegments;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import io.layercake.runtime.session.RecordedTurn;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionEvent;
import io.layercake.runtime.session.TurnTools;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Answers a recorded turn as a candidate configuration would: the same window, the candidate's
 * prompt, knowledge and model, tool rounds as the conversation runs them ({@link TurnTools}: the same
 * results, the same costs). Nothing leaves: a tool call is recorded and answered as if it had run
 * (one a person would approve, as if approved), no message is sent, no credit is taken; what the
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
    return step(candidate, recorded, new Rounds(List.of(), List.of(), 0));
  }

  /** The most one turn of the candidate costs before its reply's SMS segments: what a replay keeps in hand to start one. */
  public long estimate(AgentConfig candidate) {
    return Math.max(1, costs.aiReply() + candidate.tools().stream().mapToLong(costs::toolCall).sum());
  }

  /** How long one turn may take: its model calls, each with its wait for a place and its own timeout. */
  public Duration limit() {
    return responder.timeout().plus(responder.queueAllowance()).plusSeconds(5).multipliedBy(maxToolRounds + 1L);
  }

  /** The tool rounds so far: the model's view of them, the calls as recorded, and what the calls that ran cost. */
  private record Rounds(List<ModelRequest.ToolRound> model, List<RecordedTurn.ToolCall> calls, long credits) {}

  private CompletionStage<ReplayTurn.CandidateAnswer> step(AgentConfig candidate, RecordedTurn recorded, Rounds rounds) {
    return responder.answer(candidate, recorded.window(), rounds.model()).thenComposeAsync(answer -> {
      ModelReply reply = answer.reply();
      if (!reply.toolCalls().isEmpty() && rounds.model().size() < maxToolRounds) {
        TurnTools.Outcome outcome = TurnTools.run(new TurnTools.Context(recorded.sessionId(), recorded.turn(), rounds.model().size(),
            maxToolRounds, asIfApproved(candidate), costs, Map.of(), null, null, clock.instant()), reply.toolCalls());
        Rounds next = after(rounds, reply.toolCalls(), outcome.ran());
        if (outcome.handoffReason() != null) {
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

  /** The calls as the model asked them, each with what its tool told the model (one per call, in order: none waits for approval). */
  private static Rounds after(Rounds rounds, List<ModelReply.ToolCallRequest> requested, List<SessionEvent.ToolRan> ran) {
    List<ModelRequest.ToolRound> model = new ArrayList<>(rounds.model());
    List<RecordedTurn.ToolCall> calls = new ArrayList<>(rounds.calls());
    long credits = rounds.credits();
    for (int i = 0; i < ran.size(); i++) {
      SessionEvent.ToolRan call = ran.get(i);
      model.add(new ModelRequest.ToolRound(requested.get(i), call.result()));
      calls.add(new RecordedTurn.ToolCall(call.name(), call.arguments()));
      credits += call.cost();
    }
    return new Rounds(model, calls, credits);
  }

  /** A replay runs the calls a person would have to approve as if they were approved: it shows what the agent does then. */
  private static AgentConfig asIfApproved(AgentConfig candidate) {
    return new AgentConfig(candidate.orgId(), candidate.name(), candidate.persona(), candidate.faq(), candidate.tools(),
        AgentConfig.Autonomy.AUTONOMOUS, candidate.knowledgeTags(), candidate.model(), candidate.unavailableMessage(),
        candidate.greeting(), candidate.languages(), candidate.businessHours(), candidate.doubleTexting(), candidate.webchat());
  }

  private ReplayTurn.CandidateAnswer answered(RecordedTurn recorded, String text, Rounds rounds, boolean handedOff) {
    long credits = costs.aiReply() + rounds.credits()
        + (SmsSegments.CHANNEL.equals(recorded.channel()) ? costs.smsSegment() * SmsSegments.count(text) : 0);
    return new ReplayTurn.CandidateAnswer(text, rounds.calls(), handedOff, credits);
  }
}
