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
      assertThat(broken.status()).isEqualTo(StoredDocument.Status.FAILED);
      assertThat(broken.failureReason()).startsWith("not a readable PDF");
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

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
