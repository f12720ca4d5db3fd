package io.layercake.runtime.knowledge;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import java.io.UncheckedIOException;
import java.util.function.IntConsumer;

/**
 * Turns an uploaded file into the text an agent reads: plain text and Markdown as they are, CSV
 * rows as readable lines, PDF through PDFBox. Blocking and CPU-bound: callers run it off actor
 * and request threads. Failure is a result with a reason, never an empty text.
 */
public final class TextExtraction {
  public static final Set<String> SUPPORTED_TYPES = Set.of("text/plain", "text/markdown", "text/csv", "application/pdf");

  private TextExtraction() {}

  /** What extraction gave: the text, or why there is none. */
  public sealed interface Result {}

  public record Extracted(String text) implements Result {}

  public record Failed(String reason) implements Result {}

  public static Result extract(String mimeType, byte[] content) {
    return extract(mimeType, content, percent -> { });
  }

  /** Whether extracting this type takes long enough to run in the background (PDFs, page by page). */
  public static boolean slow(String mimeType) {
    return type(mimeType).equals("application/pdf");
  }

  /** As {@link #extract(String, byte[])}, telling {@code progress} how far it got (0 to 100) as it goes. */
  public static Result extract(String mimeType, byte[] content, IntConsumer progress) {
    String type = type(mimeType);
    try {
      Result result = switch (type) {
        case "text/plain", "text/markdown" -> new Extracted(utf8(content));
        case "text/csv" -> csvResult(utf8(content));
        case "application/pdf" -> pdf(content, progress);
        default -> new Failed("unsupported type " + type + "; supported: " + SUPPORTED_TYPES.stream().sorted().toList());
      };
      if (result instanceof Extracted extracted && extracted.text().isBlank()) {
        return new Failed(type.equals("application/pdf")
            ? "the PDF has no text layer (scanned pages need OCR, which is not supported)"
            : "the document is empty");
      }
      return result;
    } catch (CharacterCodingException e) {
      return new Failed("the text is not valid UTF-8");
    }
  }

  private static String utf8(byte[] content) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(content))
        .toString()
        .replace("\uFEFF", "")
        .replace("\r\n", "\n")
        .strip();
  }

  private static String type(String mimeType) {
    return mimeType == null ? "" : mimeType.toLowerCase(Locale.ROOT).split(";")[0].strip();
  }

  /** Page by page in tenths of the document, so a long PDF reports its progress. */
  private static Result pdf(byte[] content, IntConsumer progress) {
    try (PDDocument document = Loader.loadPDF(content)) {
      int pages = document.getNumberOfPages();
      int step = Math.max(1, (pages + 9) / 10);
      PDFTextStripper stripper = new PDFTextStripper();
      StringBuilder text = new StringBuilder();
      for (int first = 1; first <= pages; first += step) {
        stripper.setStartPage(first);
        stripper.setEndPage(Math.min(pages, first + step - 1));
        text.append(stripper.getText(document));
        progress.accept(Math.min(pages, first + step - 1) * 100 / pages);
      }
      return new Extracted(text.toString().replace("\r\n", "\n").strip());
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return new Failed(reason("not a readable PDF: " + e.getMessage()));
    }
  }

  /** Reasons are stored (at most 1,000 characters) and shown to people. */
  private static String reason(String text) {
    return text.length() <= 900 ? text : text.substring(0, 899) + "…";
  }

  private static Result csvResult(String text) {
    try {
      return new Extracted(csv(text));
    } catch (IllegalArgumentException e) {
      return new Failed(reason(e.getMessage()));
    }
  }

  /** The first row names the columns; every other row becomes "column: value; column: value". */
  static String csv(String text) {
    List<List<String>> rows = parseCsv(text);
    if (rows.isEmpty()) {
      return "";
    }
    List<String> header = rows.get(0);
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows.subList(1, rows.size())) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String name = i < header.size() && !header.get(i).isBlank() ? header.get(i).strip() : "column " + (i + 1);
        if (!row.get(i).isBlank()) {
          cells.add(name + ": " + row.get(i).strip());
        }
      }
      if (!cells.isEmpty()) {
        out.append(String.join("; ", cells)).append('\n');
      }
    }
    return out.toString().strip();
  }

  /**
   * RFC 4180 through Commons CSV (quoted fields may hold separators, quotes and line breaks), with the
   * separator the header line uses: a comma, or the semicolon spreadsheets write where the comma is
   * the decimal mark, or a tab.
   */
  private static List<List<String>> parseCsv(String text) {
    CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(separator(text)).setIgnoreEmptyLines(true).get();
    try (CSVParser parser = CSVParser.parse(text, format)) {
      List<List<String>> rows = new ArrayList<>();
      for (CSVRecord record : parser) {
        rows.add(record.toList());
      }
      return rows;
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException("not readable as CSV: " + e.getMessage(), e);
    }
  }

  /** The most frequent of comma, semicolon and tab outside quotes in the first line. */
  private static char separator(String text) {
    int comma = 0;
    int semicolon = 0;
    int tab = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length() && (quoted || text.charAt(i) != '\n'); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        comma += c == ',' ? 1 : 0;
        semicolon += c == ';' ? 1 : 0;
        tab += c == '\t' ? 1 : 0;
      }
    }
    return semicolon > comma && semicolon >= tab ? ';' : tab > comma ? '\t' : ',';
  }
}
