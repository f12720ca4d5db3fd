package io.layercake.runtime.knowledge;

import io.layercake.runtime.agent.AgentConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the prompt of a turn, deterministically: platform guidance (customer mode), the agent's
 * identity and persona, its FAQ, then the organization's documents that match the agent's tags,
 * newest first and whole, until the knowledge cap; then the conversation window.
 */
public final class PromptAssembler {
  private static final Comparator<KnowledgeDocument> NEWEST_FIRST =
      Comparator.comparing(KnowledgeDocument::updatedAt).reversed().thenComparing(KnowledgeDocument::documentId);

  private final SystemKnowledge systemKnowledge;
  private final int knowledgeCharacterCap;

  public PromptAssembler(SystemKnowledge systemKnowledge, int knowledgeCharacterCap) {
    this.systemKnowledge = systemKnowledge;
    this.knowledgeCharacterCap = knowledgeCharacterCap;
  }

  public Prompt assemble(AgentConfig agent, List<KnowledgeDocument> documents, List<ConversationMessage> window) {
    StringBuilder system = new StringBuilder();
    system.append(systemKnowledge.text(SystemKnowledge.Mode.CUSTOMER)).append("\n\n");
    appendIdentity(system, agent);
    appendFaq(system, agent);
    List<String> included = appendKnowledge(system, agent, documents);
    return new Prompt(system.toString().strip(), window, included);
  }

  private static void appendIdentity(StringBuilder system, AgentConfig agent) {
    system.append("# Who you are\n\nYou are ").append(agent.name()).append(".\n");
    if (agent.persona() != null && !agent.persona().isBlank()) {
      system.append('\n').append(agent.persona().strip()).append('\n');
    }
    if (!agent.languages().isEmpty()) {
      system.append("\nThe business speaks: ").append(String.join(", ", agent.languages())).append(".\n");
    }
    system.append('\n');
  }

  private static void appendFaq(StringBuilder system, AgentConfig agent) {
    if (agent.faq().isEmpty()) {
      return;
    }
    system.append("# Frequently asked questions\n\n");
    for (AgentConfig.FaqEntry entry : agent.faq()) {
      system.append("Q: ").append(entry.question().strip()).append('\n');
      system.append("A: ").append(entry.answer().strip()).append("\n\n");
    }
  }

  /** Whole documents only: a document that would cross the cap ends the knowledge section. */
  private List<String> appendKnowledge(StringBuilder system, AgentConfig agent, List<KnowledgeDocument> documents) {
    List<String> included = new ArrayList<>();
    StringBuilder knowledge = new StringBuilder();
    for (KnowledgeDocument document : documents.stream().filter(d -> d.matches(agent.knowledgeTags())).sorted(NEWEST_FIRST).toList()) {
      String section = "## " + document.title().strip() + "\n\n" + document.text().strip() + "\n\n";
      if (knowledge.length() + section.length() > knowledgeCharacterCap) {
        break;
      }
      knowledge.append(section);
      included.add(document.documentId());
    }
    if (!included.isEmpty()) {
      system.append("# What the business knows\n\n").append(knowledge);
    }
    return included;
  }
}
