package io.layercake.runtime.knowledge;

import java.time.Instant;
import java.util.List;

/**
 * A document in an organization's knowledge library, as stored: what was uploaded, whether its
 * text could be extracted (and why not), the text itself, and while a long extraction runs, how far
 * it got ({@code extractedPercent}, null otherwise).
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
    Instant updatedAt,
    Integer extractedPercent) {

  public StoredDocument {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** A document whose extraction is over (ready or failed). */
  public StoredDocument(String documentId, String orgId, String title, List<String> tags, String mimeType, Status status,
      String failureReason, long sizeBytes, String text, Instant createdAt, Instant updatedAt) {
    this(documentId, orgId, title, tags, mimeType, status, failureReason, sizeBytes, text, createdAt, updatedAt, null);
  }

  public enum Status {
    /** Its text is being extracted in the background (a PDF); prompts do not use it yet. */
    EXTRACTING,
    READY,
    FAILED
  }

  public KnowledgeDocument knowledge() {
    return new KnowledgeDocument(documentId, orgId, title, tags, text == null ? "" : text, updatedAt);
  }

  public StoredDocument withTags(List<String> newTags, Instant at) {
    return new StoredDocument(documentId, orgId, title, newTags, mimeType, status, failureReason, sizeBytes, text, createdAt, at,
        extractedPercent);
  }
}
