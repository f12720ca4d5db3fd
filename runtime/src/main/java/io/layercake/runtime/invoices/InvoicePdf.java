package io.layercake.runtime.invoices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * An invoice as a one-page-per-30-lines A4 PDF in Helvetica: the business, the number and date,
 * whom it bills, the lines, subtotal, VAT and total. Characters the standard font cannot draw are
 * shown as {@code ?}. Blocking: run it on the blocking dispatcher.
 */
public final class InvoicePdf {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final int LINES_PER_PAGE = 30;

  private InvoicePdf() {}

  public static byte[] render(Invoice invoice, String businessName) {
    PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      var lines = invoice.draft().lines();
      for (int first = 0; first == 0 || first < lines.size(); first += LINES_PER_PAGE) {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          float y = 790;
          text(content, bold, 18, 50, y, safe(businessName));
          y -= 30;
          text(content, bold, 12, 50, y, "Invoice " + invoice.label());
          text(content, regular, 10, 350, y, "Date: " + DATE.format(invoice.createdAt()));
          y -= 18;
          text(content, regular, 10, 50, y, "Billed to: " + safe(invoice.draft().contactName())
              + (invoice.draft().contactKey() == null ? "" : " (" + safe(invoice.draft().contactKey()) + ")"));
          y -= 30;
          text(content, bold, 10, 50, y, "Description");
          text(content, bold, 10, 330, y, "Qty");
          text(content, bold, 10, 380, y, "Unit");
          text(content, bold, 10, 470, y, "Amount");
          y -= 16;
          for (int i = first; i < Math.min(lines.size(), first + LINES_PER_PAGE); i++) {
            InvoiceDraft.Line line = lines.get(i);
            text(content, regular, 10, 50, y, safe(line.description().length() > 55 ? line.description().substring(0, 55) + "…" : line.description()));
            text(content, regular, 10, 330, y, Integer.toString(line.quantity()));
            text(content, regular, 10, 380, y, money(line.unitCents(), invoice.draft().currency()));
            text(content, regular, 10, 470, y, money(line.totalCents(), invoice.draft().currency()));
            y -= 15;
          }
          if (first + LINES_PER_PAGE >= lines.size()) {
            y -= 15;
            text(content, regular, 10, 380, y, "Subtotal");
            text(content, regular, 10, 470, y, money(invoice.subtotalCents(), invoice.draft().currency()));
            y -= 15;
            text(content, regular, 10, 380, y, String.format(Locale.ROOT, "VAT %.2f %%", invoice.draft().vatRateBasisPoints() / 100.0));
            text(content, regular, 10, 470, y, money(invoice.vatCents(), invoice.draft().currency()));
            y -= 15;
            text(content, bold, 10, 380, y, "Total");
            text(content, bold, 10, 470, y, money(invoice.totalCents(), invoice.draft().currency()));
            y -= 30;
            text(content, regular, 9, 50, y, "Status: " + invoice.status().wireName() + ". Pay as agreed with the business;"
                + " payment is not collected through this invoice.");
          }
        }
      }
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("an invoice PDF could not be written", e);
    }
  }

  /** {@code 1234567} cents → {@code 12,345.67 EUR}. */
  public static String money(long cents, String currency) {
    return String.format(Locale.ROOT, "%,d.%02d %s", cents / 100, Math.abs(cents % 100), currency);
  }

  private static void text(PDPageContentStream content, PDType1Font font, float size, float x, float y, String text) throws IOException {
    content.beginText();
    content.setFont(font, size);
    content.newLineAtOffset(x, y);
    content.showText(text);
    content.endText();
  }

  /** Only what WinAnsiEncoding (the standard fonts' encoding) has; the rest becomes '?'. */
  private static String safe(String text) {
    StringBuilder safe = new StringBuilder();
    text.codePoints().forEach(point -> safe.append(point == '…' || point == '€' || (point >= 0x20 && point <= 0x7e) || (point >= 0xa0 && point <= 0xff)
        ? Character.toString(point) : "?"));
    return safe.toString();
  }
}
