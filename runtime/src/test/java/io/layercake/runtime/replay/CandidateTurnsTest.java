package io.layercake.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.config.Costs;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.NoDocuments;
import io.layercake.runtime.knowledge.PromptAssembler;
import io.layercake.runtime.knowledge.SystemKnowledge;
import io.layercake.runtime.llm.LanguageModel;
import io.layercake.runtime.llm.LocalResponder;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import io.layercake.runtime.session.RecordedTurn;
import io.layercake.runtime.session.SessionEntity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A recorded turn answered as a candidate would: tools recorded and answered as if run, never run; costs counted; replies compared. */
class CandidateTurnsTest {
  private static final Executor DIRECT = Runnable::run;
  private static final Costs COSTS = new Costs(2, 1, Map.of("book_appointment", 3L), 1, 1);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T09:00:00Z"), ZoneOffset.UTC);

  @Test
  void toolCallsAreRecordedAndAnsweredAsIfTheyRanThenTheModelAnswers() {
    List<ModelRequest> requests = new CopyOnWriteArrayList<>();
    LanguageModel model = request -> {
      requests.add(request);
      return CompletableFuture.completedFuture(request.toolRounds().isEmpty()
          ? new ModelReply("", List.of(new ModelReply.ToolCallRequest("c-1", "book_appointment",
                  Map.of("service", "boiler service", "requested_time", "2026-12-08 10:00")),
              new ModelReply.ToolCallRequest("c-2", "send_invoice", Map.of())), ModelReply.TokenUsage.NONE, "scripted", "s")
          : new ModelReply("Booked for Tuesday at 10.", List.of(), ModelReply.TokenUsage.NONE, "scripted", "s"));
    };
    AgentConfig candidate = agent(List.of("book_appointment"), List.of());

    ReplayTurn.CandidateAnswer answer = join(candidates(model).answer(candidate, recorded("webchat", "Tuesday at 10 please")));

    assertThat(answer.reply()).isEqualTo("Booked for Tuesday at 10.");
    assertThat(answer.tools()).extracting(RecordedTurn.ToolCall::name).containsExactly("book_appointment", "send_invoice");
    assertThat(requests.get(1).toolRounds()).extracting(ModelRequest.ToolRound::result).containsExactly(
        "The booking request (boiler service, 2026-12-08 10:00) is recorded; the business will confirm it.",
        "There is no tool called send_invoice here; answer without it.");
    assertThat(answer.credits()).as("the reply and the booking; the unknown tool costs nothing").isEqualTo(2 + 3);
    assertThat(answer.handedOff()).isFalse();
  }

  @Test
  void aHandOffEndsTheTurnAndAnSmsReplyPaysItsSegments() {
    LanguageModel model = request -> CompletableFuture.completedFuture(new ModelReply("", List.of(
        new ModelReply.ToolCallRequest("c-1", "handoff_to_human", Map.of("reason", "wants a person"))), ModelReply.TokenUsage.NONE,
        "scripted", "s"));

    ReplayTurn.CandidateAnswer answer = join(candidates(model).answer(agent(List.of("handoff_to_human"), List.of()),
        recorded("sms", "a person please")));

    assertThat(answer.handedOff()).isTrue();
    assertThat(answer.reply()).isEqualTo(SessionEntity.HANDOFF_REPLY);
    assertThat(answer.credits()).as("reply 2, hand-off 1, one SMS segment 1").isEqualTo(4);
  }

  @Test
  void theLocalModelAnswersTheCandidatesFaqTheSameWayEveryTime() {
    LanguageModel local = new LocalResponder();
    AgentConfig candidate = agent(List.of(), List.of(new AgentConfig.FaqEntry("Do you work weekends?", "Saturdays 9 to 13.")));
    RecordedTurn weekend = recorded("webchat", "Do you work weekends?");

    ReplayTurn.CandidateAnswer answer = join(candidates(local).answer(candidate, weekend));
    ReplayTurn.Comparison comparison = Comparisons.of(weekend, answer);

    assertThat(join(candidates(local).answer(candidate, weekend))).isEqualTo(answer);
    assertThat(answer.reply()).isEqualTo("Saturdays 9 to 13.");
    assertThat(comparison.answerChanged()).isTrue();
    assertThat(comparison.similarity()).isEqualTo(Comparisons.similarity("Emergencies only, with a surcharge.", "Saturdays 9 to 13."));
    assertThat(comparison.handoff()).isEqualTo(ReplayTurn.HandoffChange.DISAPPEARED);
    assertThat(comparison.toolsRemoved()).extracting(RecordedTurn.ToolCall::name).containsExactly("handoff_to_human");
  }

  @Test
  void anEmptyAnswerFailsTheTurn() {
    LanguageModel silent = request -> CompletableFuture.completedFuture(
        new ModelReply(" ", List.of(), ModelReply.TokenUsage.NONE, "scripted", "s"));

    assertThatThrownBy(() -> join(candidates(silent).answer(agent(List.of(), List.of()), recorded("webchat", "hi"))))
        .hasRootCauseMessage("the model gave an empty answer");
  }

  @Test
  void similarityIsByWordsAndChangesIgnoreSpacing() {
    assertThat(Comparisons.similarity("Monday to Friday, 8 to 17.", "monday TO friday 8 to 17")).isEqualTo(1.0);
    assertThat(Comparisons.similarity("yes", "no")).isEqualTo(0.0);
    assertThat(Comparisons.similarity("", "")).isEqualTo(1.0);
    assertThat(Comparisons.similarity("open on monday", "open on friday")).isEqualTo(0.667);
    RecordedTurn turn = recorded("webchat", "When?");
    ReplayTurn.Comparison same = Comparisons.of(turn, new ReplayTurn.CandidateAnswer("Emergencies only,  with a surcharge.",
        List.of(new RecordedTurn.ToolCall("handoff_to_human", Map.of("reason", "other words"))), true, 2));
    assertThat(same.answerChanged()).isFalse();
    assertThat(same.toolsChanged()).as("the same tool, its arguments worded anew").isFalse();
    assertThat(same.handoff()).isNull();
  }

  private static CandidateTurns candidates(LanguageModel model) {
    AgentResponder responder = new AgentResponder(null, new NoDocuments(), new PromptAssembler(SystemKnowledge.bundled(), 60_000),
        model, Duration.ofSeconds(5), DIRECT);
    return new CandidateTurns(responder, COSTS, 3, CLOCK, DIRECT);
  }

  private static AgentConfig agent(List<String> tools, List<AgentConfig.FaqEntry> faq) {
    return new AgentConfig("org-1", "Piet", "You answer for a plumber.", faq, tools, AgentConfig.Autonomy.AUTONOMOUS, List.of(),
        AgentConfig.ModelChoice.LOCAL, null, null, List.of("en"), null);
  }

  /** A turn that was answered "Emergencies only, with a surcharge." and handed off. */
  private static RecordedTurn recorded(String channel, String text) {
    return new RecordedTurn("s-1", 1, channel, List.of("m-1"), text, List.of(new ConversationMessage(ConversationMessage.Role.CUSTOMER,
        text)), RecordedTurn.Outcome.REPLIED, "Emergencies only, with a surcharge.",
        List.of(new RecordedTurn.ToolCall("handoff_to_human", Map.of("reason", "asked"))), true, 3, Instant.EPOCH);
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }
}
