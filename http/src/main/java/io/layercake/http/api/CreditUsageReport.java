package io.layercake.http.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.layercake.runtime.credits.CreditReports;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Credits used in a period, grouped by agent, by sub-organization or by day; agents and
 * sub-organizations come with what the credits bought ({@code items}: {@code ai_reply},
 * {@code tool:<name>}, {@code sms_segment}). Read by the API and the billing page alike.
 */
public final class CreditUsageReport {
  private final CreditReports reports;
  private final Executor executor;

  public CreditUsageReport(CreditReports reports, Executor executor) {
    this.reports = reports;
    this.executor = executor;
  }

  /** One group of usage: by agent ({@code agentId}), by sub-organization ({@code orgId}) or by day ({@code day}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UsageRow(String agentId, String orgId, String day, long credits, long turns, Map<String, Long> items) {}

  public record CreditUsage(Instant from, Instant to, GroupBy groupBy, List<UsageRow> usage) {}

  public enum GroupBy { AGENT, SUB_ORG, DAY }

  public CompletionStage<CreditUsage> usage(String orgId, GroupBy groupBy, Instant from, Instant to) {
    if (groupBy == GroupBy.DAY) {
      return reports.usageByDay(orgId, from, to).thenApply(days -> new CreditUsage(from, to, GroupBy.DAY,
          days.stream().map(day -> new UsageRow(null, null, day.day(), day.credits(), day.turns(), null)).toList()));
    }
    CompletableFuture<List<CreditReports.AgentUsage>> byAgent = reports.usageByAgent(orgId, from, to).toCompletableFuture();
    CompletableFuture<List<CreditReports.ItemUsage>> byItem = reports.usageByItem(orgId, from, to).toCompletableFuture();
    return byAgent.thenCombineAsync(byItem, (agents, items) -> {
      boolean perAgent = groupBy == GroupBy.AGENT;
      Map<String, long[]> totals = new TreeMap<>();
      Map<String, Map<String, Long>> bought = new TreeMap<>();
      for (CreditReports.AgentUsage row : agents) {
        long[] sums = totals.computeIfAbsent(key(perAgent, orgId, row.subOrgId(), row.agentId()), k -> new long[2]);
        sums[0] += row.credits();
        sums[1] += row.turns();
      }
      for (CreditReports.ItemUsage row : items) {
        bought.computeIfAbsent(key(perAgent, orgId, row.subOrgId(), row.agentId()), k -> new TreeMap<>())
            .merge(row.item() == null ? "other" : row.item(), row.credits(), Long::sum);
      }
      List<UsageRow> usage = totals.entrySet().stream()
          .map(entry -> new UsageRow(perAgent ? entry.getKey() : null, perAgent ? null : entry.getKey(), null,
              entry.getValue()[0], entry.getValue()[1], bought.getOrDefault(entry.getKey(), Map.of())))
          .sorted((a, b) -> Long.compare(b.credits(), a.credits()))
          .toList();
      return new CreditUsage(from, to, groupBy, usage);
    }, executor);
  }

  private static String key(boolean perAgent, String orgId, String subOrgId, String agentId) {
    String key = perAgent ? agentId : subOrgId == null ? orgId : subOrgId;
    return key == null ? "" : key;
  }
}
