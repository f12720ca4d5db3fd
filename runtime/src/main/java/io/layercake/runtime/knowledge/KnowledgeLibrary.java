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
 * executor (never on an actor or request thread), then stores them, failed extractions included,
 * with their reason.
 */
public final class KnowledgeLibrary {
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

  public CompletionStage<StoredDocument> add(String orgId, String title, List<String> tags, String mimeType, byte[] content) {
    return CompletableFuture
        .supplyAsync(() -> TextExtraction.extract(mimeType, content), extractionExecutor)
        .thenComposeAsync(result -> {
          var now = clock.instant();
          boolean extracted = result instanceof TextExtraction.Extracted;
          StoredDocument document = new StoredDocument(
              "doc_" + UUID.randomUUID().toString().replace("-", ""), orgId, title.strip(), normalizeTags(tags),
              mimeType.toLowerCase(Locale.ROOT).split(";")[0].strip(),
              extracted ? StoredDocument.Status.READY : StoredDocument.Status.FAILED,
              extracted ? null : ((TextExtraction.Failed) result).reason(),
              content.length,
              extracted ? ((TextExtraction.Extracted) result).text() : null,
              now, now);
          return documents.save(document);
        }, extractionExecutor);
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
