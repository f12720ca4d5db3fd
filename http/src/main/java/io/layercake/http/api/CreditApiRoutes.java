package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.admin.BalanceView;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.credits.CreditReports;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The caller's credits ({@code /api/v1/credits}): the balance by bucket with what is reserved and
 * available and the low-credit flag; usage grouped by agent, by sub-organization or by day; and the
 * transactions.
 */
public final class CreditApiRoutes extends AllDirectives {
  private final ApiAccess access;
  private final Organizations organizations;
  private final CreditReports reports;
  private final CreditUsageReport usageReport;
  private final Clock clock;

  public CreditApiRoutes(ApiAccess access, Organizations organizations, CreditReports reports, CreditUsageReport usageReport,
      Clock clock) {
    this.access = access;
    this.organizations = organizations;
    this.reports = reports;
    this.usageReport = usageReport;
    this.clock = clock;
  }

  public record TransactionPage(List<CreditReports.Transaction> transactions, Long nextBefore) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.GET_CREDITS, match -> onSuccess(organizations.balance(caller.orgId()),
            reply -> reply instanceof OrgEntity.CurrentBalance current
                ? complete(StatusCodes.OK, BalanceView.of(current.balance()), Json.marshaller())
                : ApiAccess.notFound("credits for " + caller.orgId()))),
        access.operation(caller, ApiOperation.GET_CREDIT_USAGE, match -> parameterOptional("groupBy", groupBy ->
            parameterOptional("from", from -> parameterOptional("to", to -> usage(caller, groupBy.orElse("agent"), from, to))))),
        access.operation(caller, ApiOperation.LIST_CREDIT_TRANSACTIONS, match -> parameterOptional("before", before ->
            parameterOptional("limit", limit -> {
              if (before.isPresent() && !before.get().matches("\\d{1,18}") || limit.isPresent() && !limit.get().matches("[1-9]\\d{0,2}")) {
                return invalid("before is the id of the last transaction seen; limit a number from 1 to 500");
              }
              int size = Math.min(500, limit.map(Integer::parseInt).orElse(100));
              return onSuccess(reports.transactions(caller.orgId(), before.map(Long::parseLong).orElse(0L), size), found ->
                  complete(StatusCodes.OK, new TransactionPage(found, found.size() < size ? null : found.get(found.size() - 1).id()),
                      Json.marshaller()));
            }))));
  }

  private Route usage(Caller caller, String groupBy, Optional<String> fromText, Optional<String> toText) {
    Instant from;
    Instant to;
    try {
      from = fromText.map(Instant::parse).orElse(YearMonth.now(clock.withZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
      to = toText.map(Instant::parse).orElse(clock.instant().plusSeconds(1));
    } catch (DateTimeParseException e) {
      return invalid("from and to are ISO-8601 instants such as 2026-11-01T00:00:00Z");
    }
    CreditUsageReport.GroupBy grouping;
    switch (groupBy) {
      case "agent" -> grouping = CreditUsageReport.GroupBy.AGENT;
      case "sub_org" -> grouping = CreditUsageReport.GroupBy.SUB_ORG;
      case "day" -> grouping = CreditUsageReport.GroupBy.DAY;
      default -> {
        return invalid("groupBy is agent, sub_org or day");
      }
    }
    return onSuccess(usageReport.usage(caller.orgId(), grouping, from, to),
        usage -> complete(StatusCodes.OK, usage, Json.marshaller()));
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
