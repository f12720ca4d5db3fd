package io.layercake.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.Agents;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.Prompt;
import io.layercake.runtime.knowledge.PromptAssembler;
import io.layercake.runtime.knowledge.SystemKnowledge;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalResponderTest {
  private final AgentConfig agent = Agents.plumber("org-1");
  private final List<KnowledgeDocument> knowledge = List.of(new KnowledgeDocument(
      "prices", "org-1", "Prices", List.of("plumbing"),
      "# Prices\n\nA call-out costs EUR 65 including the first half hour.\n\n"
          + "Replacing a boiler starts at EUR 1,800 including installation.\n\nWe accept card and bank transfer.",
      Instant.parse("2026-11-01T00:00:00Z")));

  private String ask(String question) {
    Prompt prompt = new PromptAssembler(SystemKnowledge.bundled(), 60_000).assemble(
        agent, knowledge, List.of(new ConversationMessage(ConversationMessage.Role.CUSTOMER, question)));
    ModelReply reply = new LocalResponder()
        .complete(new ModelRequest(agent, prompt, knowledge, Duration.ofSeconds(5))).toCompletableFuture().join();
    assertThat(reply.provider()).isEqualTo("local");
    return reply.text();
  }

  @Test
  void answersAnFaqQuestionFromTheFaq() {
    assertThat(ask("what are your opening hours")).isEqualTo("We are open Monday to Friday, 8:00 to 17:00.");
    assertThat(ask("Is there an emergency service for a burst pipe?"))
        .isEqualTo("Yes, our emergency line is open 24/7 for burst pipes and leaks.");
  }

  @Test
  void answersAKnowledgeQuestionFromTheBestPassage() {
    assertThat(ask("How much is a new boiler?")).isEqualTo("Replacing a boiler starts at EUR 1,800 including installation.");
  }

  @Test
  void offersAHumanWhenItDoesNotKnowAndGreetsAGreeting() {
    assertThat(ask("Can you repair my car's gearbox?")).contains("someone from the team");
    assertThat(ask("Hello!")).isEqualTo("Hi! I'm Piet's assistant. How can I help?");
  }

  @Test
  void anAgentWithASingleFaqEntryAnswersIt() {
    AgentConfig single = new AgentConfig("org-1", "Solo", null,
        List.of(new AgentConfig.FaqEntry("When are you open?", "Monday to Friday, 8 to 17.")), List.of(), null, List.of(),
        AgentConfig.ModelChoice.LOCAL, null, null, List.of(), null);
    LocalResponder responder = new LocalResponder();

    assertThat(responder.answer(single, "When are you open?", List.of()).text()).isEqualTo("Monday to Friday, 8 to 17.");
    assertThat(responder.answer(single, "Can you fix my car?", List.of()).text()).contains("someone from the team");
  }

  @Test
  void isDeterministic() {
    assertThat(ask("How much does a new boiler cost?")).isEqualTo(ask("How much does a new boiler cost?"));
  }
}
