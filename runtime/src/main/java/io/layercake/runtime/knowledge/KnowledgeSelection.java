package io.layercake.runtime.knowledge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which of an organization's documents go into an agent's prompt: those matching the agent's tags,
 * newest first and whole, until the knowledge cap; the first that would cross it ends the section,
 * and it and the matching documents after it are left out. The prompt and the agent's page both read this.
 */
public record KnowledgeSelection(List<KnowledgeDocument> included, List<KnowledgeDocument> leftOut, String text, int cap) {
  private static final Comparator<KnowledgeDocument> NEWEST_FIRST =
      Comparator.comparing(KnowledgeDocument::updatedAt).reversed().thenComparing(KnowledgeDocument::documentId);

  public KnowledgeSelection {
    included = List.copyOf(included);
    leftOut = List.copyOf(leftOut);
  }

  public static KnowledgeSelection of(List<String> agentTags, List<KnowledgeDocument> documents, int cap) {
    List<KnowledgeDocument> included = new ArrayList<>();
    List<KnowledgeDocument> leftOut = new ArrayList<>();
    StringBuilder knowledge = new StringBuilder();
    for (KnowledgeDocument document : documents.stream().filter(d -> d.matches(agentTags)).sorted(NEWEST_FIRST).toList()) {
      String section = "## " + document.title().strip() + "\n\n" + document.text().strip() + "\n\n";
      if (!leftOut.isEmpty() || knowledge.length() + section.length() > cap) {
        leftOut.add(document);
      } else {
        knowledge.append(section);
        included.add(document);
      }
    }
    return new KnowledgeSelection(included, leftOut, knowledge.toString(), cap);
  }

  /** Characters of knowledge in the prompt. */
  public int characters() {
    return text.length();
  }
}
