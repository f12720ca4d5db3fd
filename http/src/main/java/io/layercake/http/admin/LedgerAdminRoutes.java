package io.layercake.http.admin;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.persistence.credits.JournalLedgerAudit;
import io.layercake.runtime.credits.CreditReports;
import io.layercake.runtime.credits.CreditReports.AgentUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Operator views of the ledger: {@code GET /admin/organizations/{id}/usage?from=&to=} (usage per
 * agent from the read model) and {@code GET /admin/audit/ledger} (the journal audit).
 */
public final class LedgerAdminRoutes extends AllDirectives {
  private final CreditReports reports;
  private final JournalLedgerAudit audit;

  public LedgerAdminRoutes(CreditReports reports, JournalLedgerAudit audit) {
    this.reports = reports;
    this.audit = audit;
  }

  /** Usage of one organization in a period, per sub-organization and agent. */
  public record UsageView(String orgId, Instant from, Instant to, long totalCredits, List<AgentUsage> byAgent) {}

  public Route routes() {
    return concat(
        pathPrefix("organizations", () -> pathPrefix(orgId -> path("usage", () -> get(() ->
            parameterOptional("from", from -> parameterOptional("to", to -> usage(orgId, from, to))))))),
        pathPrefix("audit", () -> path("ledger", () -> get(() ->
            onSuccess(audit.run(), report -> complete(StatusCodes.OK, AuditView.of(report), Json.marshaller()))))));
  }

  private Route usage(String orgId, Optional<String> fromParameter, Optional<String> toParameter) {
    Instant from;
    Instant to;
    try {
      from = fromParameter.map(Instant::parse).orElseGet(LedgerAdminRoutes::startOfThisMonth);
      to = toParameter.map(Instant::parse).orElseGet(Instant::now);
    } catch (DateTimeParseException e) {
      return complete(ErrorHandling.response(
          StatusCodes.BAD_REQUEST, "invalid_request", "from and to must be ISO-8601 instants such as 2026-11-01T00:00:00Z"));
    }
    if (!from.isBefore(to)) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "from must be before to"));
    }
    return onSuccess(reports.usageByAgent(orgId, from, to), byAgent -> complete(
        StatusCodes.OK,
        new UsageView(orgId, from, to, byAgent.stream().mapToLong(AgentUsage::credits).sum(), byAgent),
        Json.marshaller()));
  }

  private static Instant startOfThisMonth() {
    return LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }
}
