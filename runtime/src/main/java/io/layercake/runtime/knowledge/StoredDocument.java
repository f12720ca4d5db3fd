package io.layercake.runtime.knowledge;

import java.time.Instant;
import java.util.List;

/**
 * A document in an organization's knowledge library, as stored: what was uploaded, whether its
 * text could be extracted (and why not), and the text itself.
 */
public record StoredDocument(
    String documentId,
    String orgId,
    String title,
    List<String> tags,
    String mimeType,
    Status status,
    String failureReason,
    long sizeBytes,
    String text,
    Instant createdAt,
    Instant updatedAt) {

  public StoredDocument {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public enum Status {
    READY,
    FAILED
  }

  public KnowledgeDocument knowledge() {
    return new KnowledgeDocument(documentId, orgId, title, tags, text == null ? "" : text, updatedAt);
  }

  public StoredDocument withTags(List<String> newTags, Instant at) {
    return new StoredDocument(documentId, orgId, title, newTags, mimeType, status, failureReason, sizeBytes, text, createdAt, at);
  }
}
