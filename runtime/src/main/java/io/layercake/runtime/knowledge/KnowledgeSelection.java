package io.layercake.runtime.knowledge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of an organization's documents go into an agent's prompt. Those matching the agent's tags
 * go in whole, newest first, while they fit the knowledge cap; one that does not fit is skipped (so
 * a large manual never pushes out a small price list after it). When some do not fit whole, the
 * budget left is filled with their passages most relevant to the customer's message (BM25 over
 * {@link RetrievalTerms}; without a message, their first passages). The prompt and the agent's page
 * both read this.
 *
 * @param included documents in the prompt whole
 * @param excerpted documents that did not fit whole, with some of their passages in the prompt
 * @param leftOut documents that did not fit whole, with none of their passages in the prompt
 */
public record KnowledgeSelection(
    List<KnowledgeDocument> included, List<KnowledgeDocument> excerpted, List<KnowledgeDocument> leftOut, String text, int cap) {
  private static final Comparator<KnowledgeDocument> NEWEST_FIRST =
      Comparator.comparing(KnowledgeDocument::updatedAt).reversed().thenComparing(KnowledgeDocument::documentId);
  /** Below this, the budget left holds no useful passage. */
  private static final int MIN_PASSAGE_BUDGET = 200;

  public KnowledgeSelection {
    included = List.copyOf(included);
    excerpted = List.copyOf(excerpted);
    leftOut = List.copyOf(leftOut);
  }

  /** The selection without a customer's message (the agent's page): passages in document order. */
  public static KnowledgeSelection of(List<String> agentTags, List<KnowledgeDocument> documents, int cap) {
    return of(agentTags, documents, cap, "", List.of());
  }

  /** {@code languages}: the agent's; the message is read in one of them only when documents overflow. */
  public static KnowledgeSelection of(
      List<String> agentTags, List<KnowledgeDocument> documents, int cap, String message, List<String> languages) {
    List<KnowledgeDocument> included = new ArrayList<>();
    List<KnowledgeDocument> overflow = new ArrayList<>();
    StringBuilder knowledge = new StringBuilder();
    for (KnowledgeDocument document : documents.stream().filter(d -> d.matches(agentTags)).sorted(NEWEST_FIRST).toList()) {
      String section = "## " + document.title().strip() + "\n\n" + document.text().strip() + "\n\n";
      if (knowledge.length() + section.length() > cap) {
        overflow.add(document);
      } else {
        knowledge.append(section);
        included.add(document);
      }
    }
    Set<KnowledgeDocument> excerpted = new LinkedHashSet<>();
    if (!overflow.isEmpty() && cap - knowledge.length() >= MIN_PASSAGE_BUDGET) {
      for (Candidate candidate : ranked(overflow, message, RetrievalTerms.language(languages, message))) {
        String section = "## " + candidate.document().title().strip() + " (excerpt)\n\n" + candidate.text() + "\n\n";
        if (knowledge.length() + section.length() <= cap) {
          knowledge.append(section);
          excerpted.add(candidate.document());
        }
      }
    }
    List<KnowledgeDocument> leftOut = overflow.stream().filter(document -> !excerpted.contains(document)).toList();
    return new KnowledgeSelection(included, List.copyOf(excerpted), leftOut, knowledge.toString(), cap);
  }

  private record Candidate(KnowledgeDocument document, int documentOrder, int passageOrder, String text, double score) {}

  /** The overflowing documents' passages, most relevant to the message first; ties in document, then passage order. */
  private static List<Candidate> ranked(List<KnowledgeDocument> overflow, String message, String language) {
    List<Candidate> candidates = new ArrayList<>();
    List<List<String>> terms = new ArrayList<>();
    for (int d = 0; d < overflow.size(); d++) {
      List<Passages.Passage> passages = Passages.of(overflow.get(d), language);
      for (int p = 0; p < passages.size(); p++) {
        candidates.add(new Candidate(overflow.get(d), d, p, passages.get(p).text(), 0));
        terms.add(passages.get(p).terms());
      }
    }
    List<String> query = message == null || message.isBlank() ? List.of() : RetrievalTerms.of(message, language);
    if (!query.isEmpty()) {
      List<Bm25.Scored> scores = Bm25.score(query, terms);
      for (Bm25.Scored scored : scores) {
        Candidate candidate = candidates.get(scored.index());
        candidates.set(scored.index(), new Candidate(candidate.document(), candidate.documentOrder(), candidate.passageOrder(),
            candidate.text(), scored.score()));
      }
    }
    return candidates.stream()
        .sorted(Comparator.comparingDouble(Candidate::score).reversed()
            .thenComparingInt(Candidate::documentOrder).thenComparingInt(Candidate::passageOrder))
        .toList();
  }

  /** Documents in the prompt, whole or in part: what a turn records as the knowledge it carried. */
  public List<KnowledgeDocument> inPrompt() {
    List<KnowledgeDocument> all = new ArrayList<>(included);
    all.addAll(excerpted);
    return all;
  }

  /** Documents matching the agent that do not fit whole. */
  public List<KnowledgeDocument> overflow() {
    List<KnowledgeDocument> all = new ArrayList<>(excerpted);
    all.addAll(leftOut);
    return all;
  }

  /** Characters of knowledge in the prompt. */
  public int characters() {
    return text.length();
  }
}
