package io.layercake.runtime.reference;

import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.knowledge.StoredDocument;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The knowledge library's storage with each organization's prompt documents kept on the node; a
 * document saved, retagged or deleted through it makes every node forget that organization's.
 */
public final class CachedKnowledgeDocuments implements KnowledgeDocuments {
  private final KnowledgeDocuments documents;
  private final ReferenceData data;
  private final NodeCache<List<KnowledgeDocument>> cache;

  public CachedKnowledgeDocuments(KnowledgeDocuments documents, ReferenceData data) {
    this.documents = documents;
    this.data = data;
    this.cache = data.cache(ReferenceData.KNOWLEDGE);
  }

  @Override
  public CompletionStage<List<KnowledgeDocument>> readyForPrompts(String orgId) {
    return cache.get(orgId, () -> documents.readyForPrompts(orgId).thenApply(List::copyOf));
  }

  @Override
  public CompletionStage<StoredDocument> save(StoredDocument document) {
    return changing(document.orgId(), documents.save(document));
  }

  @Override
  public CompletionStage<Optional<StoredDocument>> finishExtraction(StoredDocument document) {
    return changing(document.orgId(), documents.finishExtraction(document));
  }

  /** Progress changes nothing prompts read: the cache stays. */
  @Override
  public CompletionStage<Void> extractionProgress(String orgId, String documentId, int percent) {
    return documents.extractionProgress(orgId, documentId, percent);
  }

  @Override
  public CompletionStage<Optional<StoredDocument>> updateTags(String orgId, String documentId, List<String> tags) {
    return changing(orgId, documents.updateTags(orgId, documentId, tags));
  }

  @Override
  public CompletionStage<Boolean> delete(String orgId, String documentId) {
    return changing(orgId, documents.delete(orgId, documentId));
  }

  @Override
  public CompletionStage<List<StoredDocument>> list(String orgId) {
    return documents.list(orgId);
  }

  @Override
  public CompletionStage<Optional<StoredDocument>> get(String orgId, String documentId) {
    return documents.get(orgId, documentId);
  }

  private <T> CompletionStage<T> changing(String orgId, CompletionStage<T> write) {
    return write.whenComplete((result, failure) -> data.changed(ReferenceData.KNOWLEDGE, orgId));
  }
}
