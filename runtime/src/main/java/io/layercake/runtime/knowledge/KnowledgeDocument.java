package io.layercake.runtime.knowledge;

import java.time.Instant;
import java.util.List;

/** A document of an organization's knowledge base, with its extracted text. */
public record KnowledgeDocument(
    String documentId, String orgId, String title, List<String> tags, String text, Instant updatedAt) {
  public KnowledgeDocument {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * A tag starting so makes a document private to agents that name that very tag (a setup's test
   * agent); agents with no tags, which read every document, do not read it.
   */
  public static final String PRIVATE_TAG_PREFIX = "setup-draft-";

  /** Empty agent tags mean every document (but private ones); otherwise the document needs one of them. */
  public boolean matches(List<String> agentTags) {
    if (tags.stream().anyMatch(tag -> tag.startsWith(PRIVATE_TAG_PREFIX))) {
      return tags.stream().anyMatch(tag -> tag.startsWith(PRIVATE_TAG_PREFIX) && agentTags.contains(tag));
    }
    return agentTags.isEmpty() || tags.stream().anyMatch(agentTags::contains);
  }
}
