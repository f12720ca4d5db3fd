package io.layercake.runtime.invoices;

import java.time.Instant;
import java.util.Locale;

/**
 * An issued invoice: its number in the client's series (no gaps), what it bills, its totals in
 * cents, where it stands, and the token of the link that shows it to the customer. Payment is not
 * collected here: a person marks it paid.
 */
public record Invoice(String invoiceId, String orgId, long number, InvoiceDraft draft, long subtotalCents, long vatCents, long totalCents,
    Status status, Instant createdAt, String createdBy, Instant sentAt, Instant paidAt, Instant voidedAt, String linkToken) {

  public enum Status {
    DRAFT, SENT, PAID, VOID;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the number is printed: {@code 0042}. */
  public String label() {
    return String.format(Locale.ROOT, "%04d", number);
  }
}
