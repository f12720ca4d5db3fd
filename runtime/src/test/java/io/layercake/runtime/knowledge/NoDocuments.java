package io.layercake.runtime.knowledge;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An organization without documents: what a turn reads of knowledge when there is none. */
public final class NoDocuments implements KnowledgeDocuments {
  @Override
  public CompletionStage<Optional<StoredDocument>> finishExtraction(StoredDocument document) {
    throw new UnsupportedOperationException("not used by a turn");
  }

  @Override
  public CompletionStage<Void> extractionProgress(String orgId, String documentId, int percent) {
    throw new UnsupportedOperationException("not used by a turn");
  }

  @Override
  public CompletionStage<StoredDocument> save(StoredDocument document) {
    throw new UnsupportedOperationException("not used by a turn");
  }

  @Override
  public CompletionStage<List<StoredDocument>> list(String orgId) {
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletionStage<Optional<StoredDocument>> get(String orgId, String documentId) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<List<KnowledgeDocument>> readyForPrompts(String orgId) {
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletionStage<Optional<StoredDocument>> updateTags(String orgId, String documentId, List<String> tags) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<Boolean> delete(String orgId, String documentId) {
    return CompletableFuture.completedFuture(false);
  }
}
