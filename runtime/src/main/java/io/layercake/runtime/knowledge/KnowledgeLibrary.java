package io.layercake.runtime.knowledge;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Adds documents to an organization's knowledge library: extracts their text on a blocking
 * executor (never on an actor or request thread) and stores them, failed extractions included,
 * with their reason.
 */
public final class KnowledgeLibrary {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KnowledgeLibrary.class);
  private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

  private final KnowledgeDocuments documents;
  private final Executor extractionExecutor;
  private final Clock clock;

  public KnowledgeLibrary(KnowledgeDocuments documents, Executor extractionExecutor, Clock clock) {
    this.documents = documents;
    this.extractionExecutor = extractionExecutor;
    this.clock = clock;
  }

  public KnowledgeDocuments documents() {
    return documents;
  }

  /**
   * Adds a document. Text, Markdown and CSV are extracted before this answers (they are quick); a
   * PDF is stored at once as {@code EXTRACTING} and extracted in the background, page by page,
   * recording its progress, and then becomes ready or failed.
   */
  public CompletionStage<StoredDocument> add(String orgId, String title, List<String> tags, String mimeType, byte[] content) {
    var now = clock.instant();
    StoredDocument received = new StoredDocument(
        "doc_" + UUID.randomUUID().toString().replace("-", ""), orgId, title.strip(), normalizeTags(tags),
        mimeType.toLowerCase(Locale.ROOT).split(";")[0].strip(), StoredDocument.Status.EXTRACTING, null, content.length, null,
        now, now, 0);
    if (!TextExtraction.slow(mimeType)) {
      return CompletableFuture
          .supplyAsync(() -> TextExtraction.extract(mimeType, content), extractionExecutor)
          .thenComposeAsync(result -> documents.save(extracted(received, result)), extractionExecutor);
    }
    return documents.save(received).thenApplyAsync(saved -> {
      CompletableFuture
          .supplyAsync(() -> TextExtraction.extract(mimeType, content, percent -> reportProgress(saved, percent)), extractionExecutor)
          .thenComposeAsync(result -> documents.finishExtraction(extracted(saved, result)), extractionExecutor)
          .whenComplete((finished, failure) -> {
            if (failure != null) {
              log.warn("Extracting document {} of organization {} failed: {}", saved.documentId(), orgId, failure.getMessage());
            }
          });
      return saved;
    }, extractionExecutor);
  }

  private void reportProgress(StoredDocument document, int percent) {
    documents.extractionProgress(document.orgId(), document.documentId(), percent).whenComplete((done, failure) -> {
      if (failure != null) {
        log.debug("The progress of document {} was not recorded: {}", document.documentId(), failure.getMessage());
      }
    });
  }

  private StoredDocument extracted(StoredDocument received, TextExtraction.Result result) {
    boolean extracted = result instanceof TextExtraction.Extracted;
    return new StoredDocument(received.documentId(), received.orgId(), received.title(), received.tags(), received.mimeType(),
        extracted ? StoredDocument.Status.READY : StoredDocument.Status.FAILED,
        extracted ? null : ((TextExtraction.Failed) result).reason(),
        received.sizeBytes(),
        extracted ? ((TextExtraction.Extracted) result).text() : null,
        received.createdAt(), clock.instant());
  }

  /** Tags are lowercase words (letters, digits, '-', '_'); duplicates dropped, order kept. */
  public static List<String> normalizeTags(List<String> tags) {
    return tags == null
        ? List.of()
        : tags.stream().filter(java.util.Objects::nonNull).map(tag -> tag.strip().toLowerCase(Locale.ROOT)).distinct().toList();
  }

  /** Whether every tag is a valid tag once normalized. */
  public static boolean validTags(List<String> tags) {
    return tags == null
        || tags.stream().allMatch(tag -> tag != null && TAG.matcher(tag.strip().toLowerCase(Locale.ROOT)).matches());
  }
}
