package io.layercake.runtime.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.Agents;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptAssemblerTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private final AgentConfig agent = Agents.plumber("org-1");
  private final List<ConversationMessage> window =
      List.of(new ConversationMessage(ConversationMessage.Role.CUSTOMER, "Do you fix boilers?"));

  private static KnowledgeDocument document(String id, String tag, int daysOld, int length) {
    return new KnowledgeDocument(id, "org-1", "Doc " + id, List.of(tag), "x".repeat(length), T0.minusSeconds(daysOld * 86_400L));
  }

  @Test
  void includesOnlyDocumentsWithTheAgentsTagsNewestFirst() {
    List<KnowledgeDocument> documents = List.of(
        document("old", "plumbing", 10, 100), document("new", "plumbing", 1, 100), document("salon", "hair", 0, 100));

    Prompt prompt = new PromptAssembler(SystemKnowledge.bundled(), 60_000).assemble(agent, documents, window);

    assertThat(prompt.includedDocumentIds()).containsExactly("new", "old");
    assertThat(prompt.system().indexOf("## Doc new")).isLessThan(prompt.system().indexOf("## Doc old"));
    assertThat(prompt.system()).doesNotContain("Doc salon");
    assertThat(prompt.messages()).isEqualTo(window);
  }

  @Test
  void documentsGoInWholeWhileTheyFitAndTheRestAsExcerpts() {
    List<KnowledgeDocument> documents = List.of(
        document("a", "plumbing", 1, 30_000), document("b", "plumbing", 2, 25_000), document("c", "plumbing", 3, 10_000));

    Prompt prompt = new PromptAssembler(SystemKnowledge.bundled(), 60_000).assemble(agent, documents, window);

    assertThat(prompt.includedDocumentIds()).as("c in part").containsExactly("a", "b", "c");
    assertThat(prompt.system().contains("## Doc c (excerpt)")).isTrue();
    KnowledgeSelection selection = KnowledgeSelection.of(agent.knowledgeTags(), documents, 60_000);
    assertThat(selection.excerpted()).extracting(KnowledgeDocument::documentId).containsExactly("c");
    assertThat(selection.characters()).isBetween(59_000, 60_000);
  }

  @Test
  void aDocumentTooLargeToFitNeverPushesOutASmallerOneAfterIt() {
    List<KnowledgeDocument> documents = List.of(document("a", "plumbing", 1, 30_000), document("big", "plumbing", 2, 40_000),
        document("small", "plumbing", 3, 10), document("salon", "hair", 0, 10));

    KnowledgeSelection selection = KnowledgeSelection.of(agent.knowledgeTags(), documents, 60_000);

    assertThat(selection.included()).extracting(KnowledgeDocument::documentId).containsExactly("a", "small");
    assertThat(selection.excerpted()).extracting(KnowledgeDocument::documentId).containsExactly("big");
    assertThat(selection.leftOut()).isEmpty();
    assertThat(selection.characters()).isBetween(58_000, 60_000);
  }

  @Test
  void aLargeManualLendsThePassagesAboutTheQuestionAndTheSmallPriceListStaysWhole() {
    StringBuilder manual = new StringBuilder();
    for (int page = 0; page < 400; page++) {
      manual.append(page == 311
          ? "Boiler service interval: have the heat exchanger cleaned and the flue checked every twelve months."
          : "Section " + page + ": the pressure relief valve of the cylinder is tested by turning its cap a quarter turn.")
          .append("\n\n");
    }
    List<KnowledgeDocument> documents = List.of(
        new KnowledgeDocument("manual", "org-1", "Installation manual", List.of("plumbing"), manual.toString(), T0),
        new KnowledgeDocument("prices", "org-1", "Services and prices", List.of("plumbing"),
            "Boiler service: EUR 120. Call-out: EUR 65.", T0.minusSeconds(86_400L * 30)));
    List<ConversationMessage> asking = List.of(
        new ConversationMessage(ConversationMessage.Role.CUSTOMER, "How often should my boiler get a service?"));

    Prompt prompt = new PromptAssembler(SystemKnowledge.bundled(), 10_000).assemble(agent, documents, asking);

    assertThat(prompt.system()).contains("Boiler service: EUR 120. Call-out: EUR 65.")
        .contains("## Installation manual (excerpt)").contains("Boiler service interval");
    assertThat(prompt.includedDocumentIds()).containsExactly("prices", "manual");
    assertThat(prompt.system().length()).isLessThan(10_000 + SystemKnowledge.bundled().text(SystemKnowledge.Mode.CUSTOMER).length() + 2_000);
  }

  @Test
  void carriesTheSystemKnowledgeTheIdentityAndTheFaqAndIsDeterministic() {
    PromptAssembler assembler = new PromptAssembler(SystemKnowledge.bundled(), 60_000);
    List<KnowledgeDocument> documents = List.of(document("a", "plumbing", 1, 10), document("b", "plumbing", 1, 10));

    Prompt prompt = assembler.assemble(agent, documents, window);

    assertThat(prompt.system())
        .startsWith(SystemKnowledge.bundled().text(SystemKnowledge.Mode.CUSTOMER))
        .contains("You are Piet's Plumbing assistant.")
        .contains("Q: What are your opening hours?\nA: We are open Monday to Friday, 8:00 to 17:00.")
        .contains("160 characters");
    assertThat(assembler.assemble(agent, List.of(documents.get(1), documents.get(0)), window)).isEqualTo(prompt);
    assertThat(prompt.includedDocumentIds()).containsExactly("a", "b");
  }

  @Test
  void anAgentWithoutTagsSeesEveryDocument() {
    AgentConfig untagged = new AgentConfig(agent.orgId(), agent.name(), agent.persona(), agent.faq(), agent.tools(),
        agent.autonomy(), List.of(), agent.model(), agent.unavailableMessage(), agent.greeting(), agent.languages(),
        agent.businessHours());

    Prompt prompt = new PromptAssembler(SystemKnowledge.bundled(), 60_000)
        .assemble(untagged, List.of(document("salon", "hair", 0, 10), document("pipes", "plumbing", 1, 10)), window);

    assertThat(prompt.includedDocumentIds()).containsExactly("salon", "pipes");
  }
}
