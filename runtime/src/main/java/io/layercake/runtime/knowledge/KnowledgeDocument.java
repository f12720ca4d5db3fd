package io.layercake.runtime.knowledge;

import java.time.Instant;
import java.util.List;

/** A document of an organization's knowledge base, with its extracted text. */
public record KnowledgeDocument(
    String documentId, String orgId, String title, List<String> tags, String text, Instant updatedAt) {
  public KnowledgeDocument {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** Empty agent tags mean every document; otherwise the document needs one of them. */
  public boolean matches(List<String> agentTags) {
    return agentTags.isEmpty() || tags.stream().anyMatch(agentTags::contains);
  }
}
