package io.layercake.persistence.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeLibrary;
import io.layercake.runtime.knowledge.StoredDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The knowledge library on H2 and PostgreSQL: extraction results stored, listed, retagged, deleted, per organization. */
@ExtendWith(FreshDatabases.Extension.class)
class JdbcKnowledgeDocumentsTest {

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void storesDocumentsPerOrganization(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(io.layercake.persistence.NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      JdbcKnowledgeDocuments documents = new JdbcKnowledgeDocuments(database, Clock.systemUTC());
      KnowledgeLibrary library = new KnowledgeLibrary(documents, database.blockingExecutor(), Clock.systemUTC());

      StoredDocument hours = join(library.add("org-a", "Opening hours", List.of("Plumbing", "hours"), "text/markdown",
          "# Hours\n\nMonday to Friday".getBytes(StandardCharsets.UTF_8)));
      StoredDocument broken = join(library.add("org-a", "Price list", List.of("plumbing"), "application/pdf",
          "not a pdf".getBytes(StandardCharsets.UTF_8)));
      join(library.add("org-b", "Salon prices", List.of("hair"), "text/plain", "Haircut EUR 30".getBytes(StandardCharsets.UTF_8)));

      assertThat(hours.status()).isEqualTo(StoredDocument.Status.READY);
      assertThat(hours.tags()).containsExactly("plumbing", "hours");
      assertThat(broken.status()).as("a PDF is extracted in the background").isEqualTo(StoredDocument.Status.EXTRACTING);
      assertThat(broken.extractedPercent()).isZero();
      StoredDocument failed = eventually(testKit, () -> join(documents.get("org-a", broken.documentId())).orElseThrow(),
          document -> document.status() == StoredDocument.Status.FAILED);
      assertThat(failed.failureReason()).startsWith("not a readable PDF");
      assertThat(failed.extractedPercent()).isNull();
      assertThat(join(documents.list("org-a"))).extracting(StoredDocument::title).containsExactlyInAnyOrder("Opening hours", "Price list");
      assertThat(join(documents.list("org-a"))).allMatch(document -> document.text() == null);
      assertThat(join(documents.readyForPrompts("org-a"))).extracting(KnowledgeDocument::text).containsExactly("# Hours\n\nMonday to Friday");
      assertThat(join(documents.get("org-b", hours.documentId()))).isEmpty();
      assertThat(join(documents.get("org-a", hours.documentId())).orElseThrow().text()).isEqualTo("# Hours\n\nMonday to Friday");

      assertThat(join(documents.updateTags("org-a", hours.documentId(), List.of("faq"))).orElseThrow().tags()).containsExactly("faq");
      assertThat(join(documents.updateTags("org-b", hours.documentId(), List.of("stolen")))).isEmpty();
      assertThat(join(documents.delete("org-b", hours.documentId()))).isFalse();
      assertThat(join(documents.delete("org-a", hours.documentId()))).isTrue();
      assertThat(join(documents.list("org-a"))).extracting(StoredDocument::title).containsExactly("Price list");
    } finally {
      testKit.shutdownTestKit();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void anExtractionRecordsItsProgressAndOneCutOffReadsAsFailed(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(io.layercake.persistence.NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
          Instant.parse("2026-12-05T10:00:00Z"));
      Clock clock = new Clock() {
        @Override
        public Instant instant() {
          return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
          return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
      JdbcKnowledgeDocuments documents = new JdbcKnowledgeDocuments(database, clock);
      StoredDocument extracting = new StoredDocument("doc_1", "org-a", "Manual", List.of(), "application/pdf",
          StoredDocument.Status.EXTRACTING, null, 1000, null, now.get(), now.get(), 0);
      join(documents.save(extracting));

      join(documents.extractionProgress("org-a", "doc_1", 40));
      join(documents.extractionProgress("org-a", "doc_1", 30));
      assertThat(join(documents.get("org-a", "doc_1")).orElseThrow().extractedPercent()).as("progress never goes back").isEqualTo(40);
      assertThat(join(documents.readyForPrompts("org-a"))).as("prompts wait for the text").isEmpty();

      now.set(now.get().plus(JdbcKnowledgeDocuments.INTERRUPTED).plusSeconds(1));
      StoredDocument cutOff = join(documents.get("org-a", "doc_1")).orElseThrow();
      assertThat(cutOff.status()).isEqualTo(StoredDocument.Status.FAILED);
      assertThat(cutOff.failureReason()).contains("interrupted");

      StoredDocument ready = new StoredDocument("doc_1", "org-a", "Manual", List.of(), "application/pdf",
          StoredDocument.Status.READY, null, 1000, "Chapter 1", extracting.createdAt(), now.get());
      assertThat(join(documents.finishExtraction(ready))).as("a late finish still lands").isPresent();
      assertThat(join(documents.readyForPrompts("org-a"))).extracting(KnowledgeDocument::text).containsExactly("Chapter 1");
      assertThat(join(documents.finishExtraction(ready))).as("only an extracting document is finished").isEmpty();
      join(documents.delete("org-a", "doc_1"));
      assertThat(join(documents.finishExtraction(ready))).as("a document deleted meanwhile stays deleted").isEmpty();
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static <T> T eventually(ActorTestKit testKit, java.util.function.Supplier<T> read, java.util.function.Predicate<T> done) {
    java.util.concurrent.atomic.AtomicReference<T> last = new java.util.concurrent.atomic.AtomicReference<>();
    testKit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(10), () -> {
      last.set(read.get());
      assertThat(done.test(last.get())).as(String.valueOf(last.get())).isTrue();
      return null;
    });
    return last.get();
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
