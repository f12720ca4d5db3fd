package io.layercake.http.app;

import io.layercake.config.Catalog;
import io.layercake.http.api.Caller;
import io.layercake.http.api.CreditUsageReport;
import io.layercake.http.api.CreditUsageReport.GroupBy;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.credits.CreditReports;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Reads the billing page of the organization a person acts for: the balance of its credit pool,
 * the last 30 days of usage, this month's usage per agent and per client, the movements that
 * change what can be spent (purchases, grants, charges; not the holds of turns in flight), and the
 * price list. Buying goes through the REST API's checkout.
 */
public final class BillingPage {
  static final int DAYS_CHARTED = 30;
  private static final int MOVEMENTS_SHOWN = 50;
  private static final Set<String> MOVEMENT_KINDS = Set.of("purchase", "grant", "expire", "usage", "shortfall");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Organizations organizations;
  private final CreditReports reports;
  private final CreditUsageReport usage;
  private final OrgDirectory directory;
  private final CreditWallAdvice advice;
  private final Clock clock;
  private final Executor executor;

  public BillingPage(Organizations organizations, CreditReports reports, CreditUsageReport usage, OrgDirectory directory,
      Catalog catalog, Clock clock, Executor executor) {
    this.organizations = organizations;
    this.reports = reports;
    this.usage = usage;
    this.directory = directory;
    this.advice = new CreditWallAdvice(catalog);
    this.clock = clock;
    this.executor = executor;
  }

  public CompletionStage<BillingView> view(Caller caller, Optional<Long> before) {
    String orgId = caller.orgId();
    Instant now = clock.instant();
    Instant end = now.plusSeconds(1);
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Instant chartStart = today.minusDays(DAYS_CHARTED - 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
    YearMonth month = YearMonth.from(today);
    Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant lastMonthStart = month.minusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();

    CompletableFuture<OrgEntity.Reply> balance = organizations.balance(orgId).toCompletableFuture();
    CompletableFuture<OrgEntity.Reply> summary = organizations.summary(orgId).toCompletableFuture();
    CompletableFuture<CreditUsageReport.CreditUsage> days = usage.usage(orgId, GroupBy.DAY, chartStart, end).toCompletableFuture();
    CompletableFuture<CreditUsageReport.CreditUsage> agents = usage.usage(orgId, GroupBy.AGENT, monthStart, end).toCompletableFuture();
    CompletableFuture<CreditUsageReport.CreditUsage> clients = usage.usage(orgId, GroupBy.SUB_ORG, monthStart, end).toCompletableFuture();
    CompletableFuture<CreditUsageReport.CreditUsage> lastMonth =
        usage.usage(orgId, GroupBy.SUB_ORG, lastMonthStart, monthStart).toCompletableFuture();
    CompletableFuture<List<CreditReports.Transaction>> movements = movements(orgId, before.orElse(0L)).toCompletableFuture();
    CompletableFuture<List<OrgDirectory.OrgEntry>> children = directory.children(orgId).toCompletableFuture();
    return CompletableFuture.allOf(balance, summary, days, agents, clients, lastMonth, movements, children).thenApplyAsync(done -> {
      OrgEntity.Balance pool = ((OrgEntity.CurrentBalance) balance.join()).balance();
      boolean paysHere = summary.join() instanceof OrgEntity.Accepted accepted && accepted.summary().parentOrgId() == null;
      Map<String, String> names = new TreeMap<>();
      children.join().forEach(child -> names.put(child.orgId(), child.name()));
      long lastMonthUsed = lastMonth.join().usage().stream().mapToLong(CreditUsageReport.UsageRow::credits).sum();
      List<CreditReports.Transaction> page = movements.join();
      return new BillingView(
          new BillingView.Balance(pool.tier(), pool.unlimited(), pool.buckets().daily(), pool.buckets().monthly(),
              pool.buckets().purchased(), pool.reserved(), pool.available(), pool.totals().purchased(), pool.lowCredits()),
          advice.wall(pool.unlimited(), pool.available(), lastMonthUsed, pool.tier()), chart(days.join(), today),
          agents.join().usage().stream().map(BillingPage::agentUsage).toList(),
          clients.join().usage().stream().filter(row -> !row.orgId().equals(orgId))
              .map(row -> new BillingView.ClientUsage(names.getOrDefault(row.orgId(), row.orgId()), row.credits(), row.turns()))
              .toList(),
          page.stream().filter(row -> MOVEMENT_KINDS.contains(row.kind())).map(row -> movement(row, names)).toList(),
          page.size() < MOVEMENTS_SHOWN ? null : page.get(page.size() - 1).id(),
          paysHere, paysHere && caller.scopes().contains(Scopes.BILLING_WRITE), advice.packs(),
          advice.plans(pool.tier()));
    }, executor);
  }

  private CompletionStage<List<CreditReports.Transaction>> movements(String orgId, long before) {
    return reports.transactions(orgId, before, MOVEMENTS_SHOWN);
  }

  /** One point per UTC day of the charted period, zero where nothing was used. */
  private static List<BillingView.Day> chart(CreditUsageReport.CreditUsage usage, LocalDate today) {
    Map<String, Long> used = usage.usage().stream()
        .collect(Collectors.toMap(CreditUsageReport.UsageRow::day, CreditUsageReport.UsageRow::credits, Long::sum));
    List<BillingView.Day> days = new ArrayList<>();
    for (int back = DAYS_CHARTED - 1; back >= 0; back--) {
      String day = today.minusDays(back).toString();
      days.add(new BillingView.Day(day, used.getOrDefault(day, 0L)));
    }
    return days;
  }

  private static BillingView.AgentUsage agentUsage(CreditUsageReport.UsageRow row) {
    long ai = 0;
    long tools = 0;
    long sms = 0;
    for (Map.Entry<String, Long> item : row.items().entrySet()) {
      if (item.getKey().startsWith("tool:")) {
        tools += item.getValue();
      } else if (item.getKey().equals("sms_segment")) {
        sms += item.getValue();
      } else {
        ai += item.getValue();
      }
    }
    return new BillingView.AgentUsage(row.agentId().isEmpty() ? "(no agent)" : row.agentId(), ai, tools, sms, row.credits(), row.turns());
  }

  private static BillingView.Movement movement(CreditReports.Transaction row, Map<String, String> names) {
    String client = row.subOrgId() == null ? "" : names.getOrDefault(row.subOrgId(), row.subOrgId());
    return switch (row.kind()) {
      case "purchase" -> new BillingView.Movement("Credit pack bought", "", row.amount(), "purchased", WHEN.format(row.at()));
      case "grant" -> new BillingView.Movement("Plan credits", row.item() == null ? "" : row.item(), row.amount(),
          lower(row.bucket()), WHEN.format(row.at()));
      case "expire" -> new BillingView.Movement("Unused credits expired", "", row.amount(), lower(row.bucket()), WHEN.format(row.at()));
      case "shortfall" -> new BillingView.Movement("Used beyond the balance", join(client, row.agentId()), -row.amount(), "",
          WHEN.format(row.at()));
      default -> new BillingView.Movement(item(row.item()), join(client, row.agentId()), -row.amount(), "", WHEN.format(row.at()));
    };
  }

  private static String item(String item) {
    if (item == null) {
      return "Charge";
    }
    if (item.startsWith("tool:")) {
      return "Tool call " + item.substring("tool:".length());
    }
    return item.equals("sms_segment") ? "SMS segment" : "AI reply";
  }

  private static String join(String client, String agent) {
    return List.of(client, agent == null ? "" : agent).stream().filter(part -> !part.isEmpty()).collect(Collectors.joining(" · "));
  }

  private static String lower(String bucket) {
    return bucket == null ? "" : bucket.toLowerCase(java.util.Locale.ROOT);
  }


}
