package io.layercake.runtime.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.knowledge.TextExtraction.Extracted;
import io.layercake.runtime.knowledge.TextExtraction.Failed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextExtractionTest {

  @Test
  void extractsTheTextOfAPdf() {
    byte[] pdf = TestPdfs.withLines(List.of("Emergency service: 24/7", "Call-out fee: EUR 65"));

    TextExtraction.Result result = TextExtraction.extract("application/pdf", pdf);

    assertThat(result).isInstanceOf(Extracted.class);
    assertThat(((Extracted) result).text()).contains("Emergency service: 24/7").contains("Call-out fee: EUR 65");
  }

  @Test
  void aCorruptPdfFailsWithAReason() {
    TextExtraction.Result result = TextExtraction.extract("application/pdf", "%PDF-1.7 this is not really a pdf".getBytes(StandardCharsets.UTF_8));

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason()).startsWith("not a readable PDF");
  }

  @Test
  void rendersCsvRowsAsReadableLines() {
    String csv = "service,price,note\nCall-out,EUR 65,\"first half hour, incl. travel\"\nBoiler service,EUR 95,\n";

    TextExtraction.Result result = TextExtraction.extract("text/csv; charset=utf-8", csv.getBytes(StandardCharsets.UTF_8));

    assertThat(result).isEqualTo(new Extracted(
        "service: Call-out; price: EUR 65; note: first half hour, incl. travel\nservice: Boiler service; price: EUR 95"));
  }

  @Test
  void readsSpreadsheetCsvWithAByteOrderMarkAndSemicolons() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String csv = "Leistung;Preis;Hinweis\r\nAnfahrt;65,00 €;\"erste halbe Stunde; inkl. Fahrt\"\r\nWartung;95,00 €;\r\n";
    byte[] content = new byte[bom.length + csv.getBytes(StandardCharsets.UTF_8).length];
    System.arraycopy(bom, 0, content, 0, bom.length);
    System.arraycopy(csv.getBytes(StandardCharsets.UTF_8), 0, content, bom.length, content.length - bom.length);

    assertThat(TextExtraction.extract("text/csv", content)).isEqualTo(new Extracted(
        "Leistung: Anfahrt; Preis: 65,00 €; Hinweis: erste halbe Stunde; inkl. Fahrt\nLeistung: Wartung; Preis: 95,00 €"));
  }

  @Test
  void readsTabsAndLineBreaksInQuotedFields() {
    String csv = "service\tnote\nCall-out\t\"two\nlines\"\n";

    assertThat(TextExtraction.extract("text/csv", csv.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Extracted("service: Call-out; note: two\nlines"));
  }

  @Test
  void anUnterminatedQuoteIsAReasonNotAnError() {
    assertThat(TextExtraction.extract("text/csv", "a,b\n\"open,2\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(Failed.class, failed -> assertThat(failed.reason()).startsWith("not readable as CSV"));
  }

  @Test
  void keepsMarkdownAsItIs() {
    String markdown = "# Opening hours\r\n\r\nMonday to Friday, 8:00 to 17:00.\r\n";

    assertThat(TextExtraction.extract("text/markdown", markdown.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Extracted("# Opening hours\n\nMonday to Friday, 8:00 to 17:00."));
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThat(TextExtraction.extract("image/png", new byte[] {1, 2, 3})).isInstanceOf(Failed.class);
    assertThat(TextExtraction.extract("text/plain", new byte[0])).isEqualTo(new Failed("the document is empty"));
    assertThat(TextExtraction.extract("text/plain", new byte[] {(byte) 0xC3, (byte) 0x28}))
        .isEqualTo(new Failed("the text is not valid UTF-8"));
  }
}
