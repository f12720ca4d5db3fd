package io.layercake.persistence.invoices;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.invoices.Invoice;
import io.layercake.runtime.invoices.InvoiceDraft;
import io.layercake.runtime.invoices.Invoices;
import io.layercake.runtime.people.Tokens;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Invoices in {@code invoices}, numbered from {@code invoice_series}: the series row is raised in the
 * invoice's own transaction (its row lock orders concurrent writers), so a number is used once and,
 * when the write fails, given back: no gaps.
 */
public final class JdbcInvoices implements Invoices {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<InvoiceDraft.Line>> LINES = new TypeReference<>() {};
  private static final String SELECT = "SELECT invoice_id, org_id, number, contact_name, contact_key, session_id, currency,"
      + " vat_rate_basis_points, lines, subtotal_cents, vat_cents, total_cents, status, created_at, created_by, sent_at, paid_at, voided_at,"
      + " link_token FROM invoices";

  private final ApplicationDatabase database;

  public JdbcInvoices(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Invoice> create(String orgId, InvoiceDraft draft, String by, Instant at) {
    // the series row exists before any invoice's transaction locks it; two first invoices at once both find it here
    return database.write(connection -> {
      if (first(connection, "SELECT 1 FROM invoice_series WHERE org_id = ?", rows -> 1, orgId).isEmpty()) {
        update(connection, "INSERT INTO invoice_series (org_id, last_number) SELECT ?, 0 WHERE NOT EXISTS"
            + " (SELECT 1 FROM invoice_series WHERE org_id = ?)", orgId, orgId);
      }
      return null;
    }).handle((made, raced) -> raced) // a writer racing this one made the row; were the database down, the next write says so
        .thenCompose(ready -> database.write(connection -> insert(connection, orgId, draft, by, at)));
  }

  private static Invoice insert(Connection connection, String orgId, InvoiceDraft draft, String by, Instant at) throws SQLException {
    update(connection, "UPDATE invoice_series SET last_number = last_number + 1 WHERE org_id = ?", orgId);
    long number = first(connection, "SELECT last_number FROM invoice_series WHERE org_id = ?", rows -> rows.getLong(1), orgId).orElseThrow();
    String invoiceId = "inv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    long subtotal = draft.subtotalCents();
    long vat = draft.vatCents();
    update(connection, "INSERT INTO invoices (invoice_id, org_id, number, contact_name, contact_key, session_id, currency,"
            + " vat_rate_basis_points, lines, subtotal_cents, vat_cents, total_cents, status, created_at, created_by, link_token)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)",
        invoiceId, orgId, number, draft.contactName().strip(), blankToNull(draft.contactKey()), blankToNull(draft.sessionId()), draft.currency(),
        draft.vatRateBasisPoints(), json(draft.lines()), subtotal, vat, subtotal + vat, at, by, Tokens.random(24));
    return first(connection, SELECT + " WHERE invoice_id = ?", JdbcInvoices::invoice, invoiceId).orElseThrow();
  }

  @Override
  public CompletionStage<Optional<Invoice>> find(String invoiceId) {
    return database.read(connection -> first(connection, SELECT + " WHERE invoice_id = ?", JdbcInvoices::invoice, invoiceId));
  }

  @Override
  public CompletionStage<Optional<Invoice>> byLink(String token) {
    return database.read(connection -> first(connection, SELECT + " WHERE link_token = ?", JdbcInvoices::invoice, token));
  }

  @Override
  public CompletionStage<List<Invoice>> of(String orgId, int limit) {
    return database.read(connection -> query(connection, SELECT + " WHERE org_id = ? ORDER BY number DESC LIMIT " + Math.max(1, limit),
        JdbcInvoices::invoice, orgId));
  }

  @Override
  public CompletionStage<Changed> change(String invoiceId, Invoice.Status to, Instant at) {
    return database.write(connection -> {
      Optional<Invoice> found = first(connection, SELECT + " WHERE invoice_id = ?", JdbcInvoices::invoice, invoiceId);
      if (found.isEmpty()) {
        return new Changed.Missing();
      }
      Invoice invoice = found.get();
      if (invoice.status() == to) {
        return new Changed.Done(invoice);
      }
      boolean allowed = switch (to) {
        case SENT -> invoice.status() == Invoice.Status.DRAFT;
        case PAID -> invoice.status() == Invoice.Status.DRAFT || invoice.status() == Invoice.Status.SENT;
        case VOID -> invoice.status() != Invoice.Status.PAID;
        case DRAFT -> false;
      };
      if (!allowed) {
        return new Changed.NotAllowed(invoice, "a " + invoice.status().wireName() + " invoice cannot become " + to.wireName());
      }
      String column = switch (to) {
        case SENT -> "sent_at";
        case PAID -> "paid_at";
        default -> "voided_at";
      };
      update(connection, "UPDATE invoices SET status = ?, " + column + " = ? WHERE invoice_id = ?", to.wireName(), at, invoiceId);
      return new Changed.Done(first(connection, SELECT + " WHERE invoice_id = ?", JdbcInvoices::invoice, invoiceId).orElseThrow());
    });
  }

  private static Invoice invoice(ResultSet rows) throws SQLException {
    InvoiceDraft draft = new InvoiceDraft(rows.getString("contact_name"), rows.getString("contact_key"), rows.getString("session_id"),
        rows.getString("currency"), rows.getInt("vat_rate_basis_points"), lines(rows.getString("lines")));
    return new Invoice(rows.getString("invoice_id"), rows.getString("org_id"), rows.getLong("number"), draft, rows.getLong("subtotal_cents"),
        rows.getLong("vat_cents"), rows.getLong("total_cents"), Invoice.Status.valueOf(rows.getString("status").toUpperCase(Locale.ROOT)),
        instant(rows, "created_at"), rows.getString("created_by"), instant(rows, "sent_at"), instant(rows, "paid_at"),
        instant(rows, "voided_at"), rows.getString("link_token"));
  }

  private static String json(List<InvoiceDraft.Line> lines) {
    try {
      return JSON.writeValueAsString(lines);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("invoice lines are plain records", e);
    }
  }

  private static List<InvoiceDraft.Line> lines(String json) throws SQLException {
    try {
      return JSON.readValue(json, LINES);
    } catch (JsonProcessingException e) {
      throw new SQLException("an invoice's lines are not JSON", e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
