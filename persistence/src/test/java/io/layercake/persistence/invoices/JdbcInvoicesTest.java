package io.layercake.persistence.invoices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.invoices.Invoice;
import io.layercake.runtime.invoices.InvoiceDraft;
import io.layercake.runtime.invoices.Invoices;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invoice numbers on H2 and PostgreSQL: 40 invoices of one client and 10 of another written at
 * once are numbered 1 to 40 and 1 to 10, without a gap or a repeat; a write that fails gives its
 * number back; totals in cents; only the allowed status changes.
 */
@ExtendWith(FreshDatabases.Extension.class)
class JdbcInvoicesTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void concurrentInvoicesAreNumberedWithoutGaps(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      Invoices invoices = new JdbcInvoices(ApplicationDatabase.start(testKit.system(), settings.database()));
      InvoiceDraft draft = new InvoiceDraft("Jana Krüger", "+491511234567", "s-1", "EUR", 1900,
          List.of(new InvoiceDraft.Line("Boiler service", 1, 8900), new InvoiceDraft.Line("Seal kit", 2, 450)));
      List<CompletableFuture<Invoice>> written = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        written.add(invoices.create(i % 5 == 4 ? "salon" : "plumber", draft, "user:u_1", NOW).toCompletableFuture());
      }
      CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
      assertThat(written.stream().map(CompletableFuture::join).filter(invoice -> invoice.orgId().equals("plumber")).map(Invoice::number))
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
      assertThat(written.stream().map(CompletableFuture::join).filter(invoice -> invoice.orgId().equals("salon")).map(Invoice::number))
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());

      Invoice first = written.get(0).join();
      assertThat(first.subtotalCents()).isEqualTo(9_800);
      assertThat(first.vatCents()).as("19 % of 98.00, half up").isEqualTo(1_862);
      assertThat(first.totalCents()).isEqualTo(11_662);
      assertThat(first.status()).isEqualTo(Invoice.Status.DRAFT);
      assertThat(join(invoices.find(first.invoiceId())).orElseThrow().draft().lines()).isEqualTo(draft.lines());

      InvoiceDraft unwritable = new InvoiceDraft("x".repeat(300), null, null, "EUR", 0, draft.lines());
      assertThatThrownBy(() -> join(invoices.create("plumber", unwritable, "user:u_1", NOW))).as("the name is longer than its column");
      assertThat(join(invoices.create("plumber", draft, "user:u_1", NOW)).number()).as("the failed write gave 41 back").isEqualTo(41);

      assertThat(join(invoices.change(first.invoiceId(), Invoice.Status.SENT, NOW))).isInstanceOf(Invoices.Changed.Done.class);
      Invoices.Changed paid = join(invoices.change(first.invoiceId(), Invoice.Status.PAID, NOW.plusSeconds(60)));
      assertThat(((Invoices.Changed.Done) paid).invoice().paidAt()).isEqualTo(NOW.plusSeconds(60));
      assertThat(join(invoices.change(first.invoiceId(), Invoice.Status.VOID, NOW))).as("a paid invoice stays paid")
          .isInstanceOf(Invoices.Changed.NotAllowed.class);
      assertThat(join(invoices.change(first.invoiceId(), Invoice.Status.SENT, NOW))).isInstanceOf(Invoices.Changed.NotAllowed.class);
      assertThat(join(invoices.change("inv_nope", Invoice.Status.PAID, NOW))).isInstanceOf(Invoices.Changed.Missing.class);
      assertThat(join(invoices.byLink(first.linkToken())).orElseThrow().invoiceId()).isEqualTo(first.invoiceId());
      assertThat(join(invoices.of("salon", 100))).hasSize(10).allSatisfy(invoice -> assertThat(invoice.orgId()).isEqualTo("salon"));
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
