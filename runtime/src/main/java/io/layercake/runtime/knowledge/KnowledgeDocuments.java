package io.layercake.runtime.knowledge;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The knowledge library's storage (a port; persistence implements it with JDBC off the actor threads). */
public interface KnowledgeDocuments {
  CompletionStage<StoredDocument> save(StoredDocument document);

  /**
   * The outcome of a background extraction: replaces the document while it is still extracting;
   * empty when it is gone (deleted meanwhile).
   */
  CompletionStage<Optional<StoredDocument>> finishExtraction(StoredDocument document);

  /** How far a background extraction got; never goes back, and only while the document is extracting. */
  CompletionStage<Void> extractionProgress(String orgId, String documentId, int percent);

  /** The organization's documents, newest first, without their text. */
  CompletionStage<List<StoredDocument>> list(String orgId);

  CompletionStage<Optional<StoredDocument>> get(String orgId, String documentId);

  /** Ready documents with their text, for prompts. */
  CompletionStage<List<KnowledgeDocument>> readyForPrompts(String orgId);

  CompletionStage<Optional<StoredDocument>> updateTags(String orgId, String documentId, List<String> tags);

  CompletionStage<Boolean> delete(String orgId, String documentId);
}
