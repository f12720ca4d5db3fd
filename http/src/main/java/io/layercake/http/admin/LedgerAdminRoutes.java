package io.layercake.http.admin;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.persistence.credits.JournalLedgerAudit;
import io.layercake.runtime.credits.CreditReports;
import io.layercake.runtime.credits.CreditReports.AgentUsage;
import io.layercake.runtime.credits.CreditReports.SessionUsage;
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

  private static final int SESSIONS_SHOWN = 100;
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

  /**
   * Usage of one organization in a period, per sub-organization and agent, and its most expensive
   * conversations.
   */
  public record UsageView(
      String orgId, Instant from, Instant to, long totalCredits, List<AgentUsage> byAgent, List<SessionUsage> topSessions) {}

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
    if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
      return complete(ErrorHandling.response(
          StatusCodes.BAD_REQUEST, "invalid_request", "from and to must lie between " + EARLIEST + " and " + LATEST));
    }
    if (!from.isBefore(to)) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "from must be before to"));
    }
    Instant start = from;
    Instant end = to;
    return onSuccess(reports.usageByAgent(orgId, start, end), byAgent ->
        onSuccess(reports.usageBySession(orgId, start, end, SESSIONS_SHOWN), bySession -> complete(
            StatusCodes.OK,
            new UsageView(orgId, start, end, byAgent.stream().mapToLong(AgentUsage::credits).sum(), byAgent, bySession),
            Json.marshaller())));
  }

  private static Instant startOfThisMonth() {
    return LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }
}
