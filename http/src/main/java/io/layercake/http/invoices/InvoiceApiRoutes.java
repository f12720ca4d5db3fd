package io.layercake.http.invoices;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.server.Json;
import io.layercake.runtime.invoices.Invoice;
import io.layercake.runtime.invoices.InvoiceDraft;
import io.layercake.runtime.invoices.InvoicePdf;
import io.layercake.runtime.invoices.Invoices;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Simple invoices a client writes to its customers: numbered in the client's own series, totals in
 * cents worked out here, a PDF, the link sent through the customer's conversation, marked paid by
 * hand (payment is not collected), voided. Anyone with an invoice's link reads its PDF.
 */
public final class InvoiceApiRoutes extends AllDirectives {
  private static final int MAX_LISTED = 200;

  private final ApiAccess access;
  private final Invoices invoices;
  private final Sessions sessions;
  private final Function<String, CompletionStage<String>> businessName;
  private final Supplier<String> baseUrl;
  private final Clock clock;
  private final Executor blocking;

  /**
   * @param businessName the name an invoice is written in (the client's portal name)
   * @param blocking where PDFs are drawn
   */
  public InvoiceApiRoutes(ApiAccess access, Invoices invoices, Sessions sessions, Function<String, CompletionStage<String>> businessName,
      Supplier<String> baseUrl, Clock clock, Executor blocking) {
    this.access = access;
    this.invoices = invoices;
    this.sessions = sessions;
    this.businessName = businessName;
    this.baseUrl = baseUrl;
    this.clock = clock;
    this.blocking = blocking;
  }

  public record InvoiceView(String invoiceId, String orgId, String number, String contactName, String contactKey, String sessionId,
      String currency, int vatRateBasisPoints, List<InvoiceDraft.Line> lines, long subtotalCents, long vatCents, long totalCents,
      String status, Instant createdAt, Instant sentAt, Instant paidAt, Instant voidedAt, String url) {}

  public record InvoiceList(String orgId, List<InvoiceView> invoices) {}

  /** {@code action}: send (the link through the invoice's conversation), mark_paid, or void. */
  public record InvoiceChange(String action) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_INVOICES, match -> access.inOrganization(caller, orgId ->
            onSuccess(invoices.of(orgId, MAX_LISTED), found -> complete(StatusCodes.OK,
                new InvoiceList(orgId, found.stream().map(this::view).toList()), Json.marshaller())))),
        access.operation(caller, ApiOperation.CREATE_INVOICE, match -> access.inOrganization(caller, orgId ->
            entity(Jackson.unmarshaller(Json.MAPPER, InvoiceDraft.class), draft -> draft.problem()
                .map(ApiAccess::invalid)
                .orElseGet(() -> onSuccess(invoices.create(orgId, draft, caller.actor(), clock.instant()),
                    created -> complete(StatusCodes.CREATED, view(created), Json.marshaller())))))),
        access.operation(caller, ApiOperation.GET_INVOICE, match -> invoice(caller, match.variable("invoiceId"), found ->
            complete(StatusCodes.OK, view(found), Json.marshaller()))),
        access.operation(caller, ApiOperation.GET_INVOICE_PDF, match -> invoice(caller, match.variable("invoiceId"), this::pdf)),
        access.operation(caller, ApiOperation.CHANGE_INVOICE, match -> invoice(caller, match.variable("invoiceId"), found ->
            entity(Jackson.unmarshaller(Json.MAPPER, InvoiceChange.class), change -> change(caller, found, change)))));
  }

  /** {@code /invoice-links/{token}}: the invoice's PDF for whoever has its link (the customer). */
  public Route links() {
    return pathPrefix("invoice-links", () -> path(token -> get(() -> token.matches("[A-Za-z0-9_-]{16,64}")
        ? onSuccess(invoices.byLink(token), found -> found.filter(invoice -> invoice.status() != Invoice.Status.DRAFT)
            .map(this::pdf).orElseGet(() -> ApiAccess.notFound("invoice")))
        : ApiAccess.notFound("invoice"))));
  }

  private Route change(Caller caller, Invoice invoice, InvoiceChange change) {
    String action = change.action() == null ? "" : change.action().strip().toLowerCase(Locale.ROOT);
    return switch (action) {
      case "send" -> send(caller, invoice);
      case "mark_paid" -> changed(invoices.change(invoice.invoiceId(), Invoice.Status.PAID, clock.instant()));
      case "void" -> changed(invoices.change(invoice.invoiceId(), Invoice.Status.VOID, clock.instant()));
      default -> ApiAccess.invalid("action must be send, mark_paid or void");
    };
  }

  /** The link goes to the customer as a person's message in the invoice's conversation (which a person then has); then it is sent. */
  private Route send(Caller caller, Invoice invoice) {
    if (invoice.draft().sessionId() == null) {
      return ApiAccess.refuse(StatusCodes.CONFLICT, "conflict", "the invoice names no conversation to send its link through");
    }
    if (invoice.status() != Invoice.Status.DRAFT) {
      return changed(invoices.change(invoice.invoiceId(), Invoice.Status.SENT, clock.instant()));
    }
    CompletionStage<Optional<String>> sent = businessName.apply(invoice.orgId()).thenCompose(name -> sessions.sendAsHuman(
            invoice.draft().sessionId(), caller.actor(), "Your invoice " + invoice.label() + " from " + name + " ("
                + InvoicePdf.money(invoice.totalCents(), invoice.draft().currency()) + "): " + link(invoice))
        .thenApply(reply -> reply instanceof SessionReply.Done ? Optional.<String>empty()
            : Optional.of(reply instanceof SessionReply.Rejected rejected ? rejected.message() : String.valueOf(reply))));
    return onSuccess(sent, problem -> problem
        .map(why -> ApiAccess.refuse(StatusCodes.CONFLICT, "conflict", "the link could not be sent: " + why))
        .orElseGet(() -> changed(invoices.change(invoice.invoiceId(), Invoice.Status.SENT, clock.instant()))));
  }

  private Route changed(CompletionStage<Invoices.Changed> change) {
    return onSuccess(change, outcome -> {
      if (outcome instanceof Invoices.Changed.Done done) {
        return complete(StatusCodes.OK, view(done.invoice()), Json.marshaller());
      }
      if (outcome instanceof Invoices.Changed.NotAllowed refused) {
        return ApiAccess.refuse(StatusCodes.CONFLICT, "conflict", refused.reason());
      }
      return ApiAccess.notFound("invoice");
    });
  }

  private Route pdf(Invoice invoice) {
    CompletionStage<byte[]> drawn = businessName.apply(invoice.orgId())
        .thenApplyAsync(name -> InvoicePdf.render(invoice, name), blocking);
    return onSuccess(drawn, bytes -> respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_STORE)), () -> complete(
        HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.APPLICATION_PDF), bytes)))));
  }

  private Route invoice(Caller caller, String invoiceId, Function<Invoice, Route> inner) {
    return onSuccess(invoices.find(invoiceId), found -> found
        .map(invoice -> access.visible(caller, invoice.orgId(), "invoice " + invoiceId, () -> inner.apply(invoice)))
        .orElseGet(() -> ApiAccess.notFound("invoice " + invoiceId)));
  }

  private InvoiceView view(Invoice invoice) {
    return new InvoiceView(invoice.invoiceId(), invoice.orgId(), invoice.label(), invoice.draft().contactName(), invoice.draft().contactKey(),
        invoice.draft().sessionId(), invoice.draft().currency(), invoice.draft().vatRateBasisPoints(), invoice.draft().lines(),
        invoice.subtotalCents(), invoice.vatCents(), invoice.totalCents(), invoice.status().wireName(), invoice.createdAt(), invoice.sentAt(),
        invoice.paidAt(), invoice.voidedAt(), link(invoice));
  }

  private String link(Invoice invoice) {
    return baseUrl.get() + "/invoice-links/" + invoice.linkToken();
  }

}
