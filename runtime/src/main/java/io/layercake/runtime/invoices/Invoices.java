package io.layercake.runtime.invoices;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The clients' invoices: each client's own number series, without gaps however many are written at once. */
public interface Invoices {

  CompletionStage<Invoice> create(String orgId, InvoiceDraft draft, String by, Instant at);

  CompletionStage<Optional<Invoice>> find(String invoiceId);

  CompletionStage<Optional<Invoice>> byLink(String token);

  CompletionStage<List<Invoice>> of(String orgId, int limit);

  /** Moves the invoice on: {@code SENT} from a draft, {@code PAID} from a draft or sent one, {@code VOID} unless paid. */
  CompletionStage<Changed> change(String invoiceId, Invoice.Status to, Instant at);

  sealed interface Changed {
    record Done(Invoice invoice) implements Changed {}

    record NotAllowed(Invoice invoice, String reason) implements Changed {}

    record Missing() implements Changed {}
  }
}
