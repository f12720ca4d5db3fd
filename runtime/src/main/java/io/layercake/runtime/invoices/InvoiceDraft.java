package io.layercake.runtime.invoices;

import java.util.List;
import java.util.Optional;

/**
 * An invoice as a person writes it: to whom (a name, and the contact's phone or email), from which
 * conversation (to send the link through), the lines in cents, and the VAT rate in basis points
 * ({@code 1900} = 19 %). Totals are the invoice's to work out, never the writer's.
 */
public record InvoiceDraft(String contactName, String contactKey, String sessionId, String currency, int vatRateBasisPoints,
    List<Line> lines) {
  public static final int MAX_LINES = 100;

  public InvoiceDraft {
    lines = lines == null ? List.of() : List.copyOf(lines);
  }

  /** {@code quantity} whole units at {@code unitCents} each. */
  public record Line(String description, int quantity, long unitCents) {
    public long totalCents() {
      return Math.multiplyExact(quantity, unitCents);
    }
  }

  public Optional<String> problem() {
    if (contactName == null || contactName.isBlank() || contactName.length() > 200) {
      return Optional.of("contactName must be 1 to 200 characters");
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      return Optional.of("currency must be a three-letter code such as EUR");
    }
    if (vatRateBasisPoints < 0 || vatRateBasisPoints > 10_000) {
      return Optional.of("vatRateBasisPoints must be 0 to 10000 (1900 is 19 %)");
    }
    if (lines.isEmpty() || lines.size() > MAX_LINES) {
      return Optional.of("an invoice has 1 to " + MAX_LINES + " lines");
    }
    for (Line line : lines) {
      if (line == null || line.description() == null || line.description().isBlank() || line.description().length() > 300
          || line.quantity() < 1 || line.quantity() > 100_000 || line.unitCents() < 0 || line.unitCents() > 100_000_000) {
        return Optional.of("each line has a description (up to 300 characters), a quantity of 1 to 100000 and unitCents of 0 to 100000000");
      }
    }
    return Optional.empty();
  }

  public long subtotalCents() {
    return lines.stream().mapToLong(Line::totalCents).sum();
  }

  /** VAT on the subtotal, rounded half up to the cent. */
  public long vatCents() {
    return (subtotalCents() * vatRateBasisPoints + 5_000) / 10_000;
  }
}
