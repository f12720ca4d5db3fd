package io.layercake.runtime.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** An invoice's PDF, read back as text: the business, number, customer, lines and totals; long invoices go on over pages. */
class InvoicePdfTest {
  private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void rendersWhatTheInvoiceSaysAndReadsBackAsText() throws IOException {
    InvoiceDraft draft = new InvoiceDraft("Jana Krüger", "+491511234567", null, "EUR", 1900,
        List.of(new InvoiceDraft.Line("Boiler service", 1, 8900), new InvoiceDraft.Line("Seal kit ✓", 2, 450)));
    Invoice invoice = new Invoice("inv_1", "plumber", 42, draft, draft.subtotalCents(), draft.vatCents(),
        draft.subtotalCents() + draft.vatCents(), Invoice.Status.SENT, AT, "user:u_1", AT, null, null, "token");
    String text = text(InvoicePdf.render(invoice, "Schmidt Sanitär"));
    assertThat(text).contains("Schmidt Sanitär", "Invoice 0042", "5 December 2026", "Jana Krüger (+491511234567)", "Boiler service",
        "89.00 EUR", "Seal kit ?", "9.00 EUR", "Subtotal", "98.00 EUR", "VAT 19.00 %", "18.62 EUR", "Total", "116.62 EUR",
        "payment is not collected");
  }

  @Test
  void aLongInvoiceGoesOnOverPagesWithTheTotalsOnTheLast() throws IOException {
    List<InvoiceDraft.Line> lines = new ArrayList<>();
    for (int i = 1; i <= 45; i++) {
      lines.add(new InvoiceDraft.Line("Part " + i, 1, 100));
    }
    InvoiceDraft draft = new InvoiceDraft("Jana", null, null, "EUR", 0, lines);
    Invoice invoice = new Invoice("inv_2", "plumber", 7, draft, draft.subtotalCents(), 0, draft.subtotalCents(), Invoice.Status.DRAFT, AT,
        "user:u_1", null, null, null, "token");
    byte[] pdf = InvoicePdf.render(invoice, "Schmidt");
    try (PDDocument document = Loader.loadPDF(pdf)) {
      assertThat(document.getNumberOfPages()).isEqualTo(2);
    }
    assertThat(text(pdf)).contains("Part 1", "Part 45", "45.00 EUR");
  }

  private static String text(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document);
    }
  }
}
