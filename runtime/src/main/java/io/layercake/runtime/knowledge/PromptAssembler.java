package io.layercake.runtime.knowledge;

import io.layercake.runtime.agent.AgentConfig;
import java.util.List;

/**
 * Builds the prompt of a turn, deterministically: platform guidance (customer mode), the agent's
 * identity and persona, its FAQ, then the organization's documents the {@link KnowledgeSelection}
 * picks (matching the agent's tags, newest first and whole while they fit the knowledge cap, then
 * passages of the others most relevant to the customer's last message); then the conversation window.
 */
public final class PromptAssembler {
  private final SystemKnowledge systemKnowledge;
  private final int knowledgeCharacterCap;

  private static final java.time.format.DateTimeFormatter TODAY =
      java.time.format.DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

  public PromptAssembler(SystemKnowledge systemKnowledge, int knowledgeCharacterCap) {
    this.systemKnowledge = systemKnowledge;
    this.knowledgeCharacterCap = knowledgeCharacterCap;
  }

  public Prompt assemble(AgentConfig agent, List<KnowledgeDocument> documents, List<ConversationMessage> window) {
    return assemble(agent, documents, window, null);
  }

  /**
   * As {@link #assemble(AgentConfig, List, List)}; an agent that books appointments is also told the
   * date and time {@code now} (when given), so "tomorrow at ten" becomes a date it can book.
   */
  public Prompt assemble(AgentConfig agent, List<KnowledgeDocument> documents, List<ConversationMessage> window, java.time.Instant now) {
    String platform = systemKnowledge.text(SystemKnowledge.Mode.CUSTOMER);
    KnowledgeSelection selection = KnowledgeSelection.of(agent.knowledgeTags(), documents, knowledgeCharacterCap,
        ConversationMessage.lastFromCustomer(window), agent.languages());
    // sized for the prompt, not grown by doubling from 16 characters (each doubling a copy, every turn)
    StringBuilder system = new StringBuilder(platform.length() + selection.text().length() + 4_096);
    system.append(platform).append("\n\n");
    appendIdentity(system, agent);
    if (now != null && agent.tools().contains(io.layercake.runtime.tools.Tool.BOOK_APPOINTMENT.toolName())) {
      system.append("# Today\n\nIt is ").append(TODAY.format(now)).append(" (UTC). Give book_appointment the time as YYYY-MM-DD HH:MM,"
          + " local to the business.\n\n");
    }
    appendFaq(system, agent);
    if (!selection.text().isEmpty()) {
      system.append("# What the business knows\n\n").append(selection.text());
    }
    while (!system.isEmpty() && Character.isWhitespace(system.charAt(system.length() - 1))) {
      system.setLength(system.length() - 1);
    }
    return new Prompt(system.toString().strip(), window,
        selection.inPrompt().stream().map(KnowledgeDocument::documentId).toList(), Prompt.DocumentUse.of(selection));
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
}
