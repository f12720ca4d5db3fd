package io.layercake.http.app;

import java.util.List;
import java.util.Optional;

/**
 * What the billing page shows: the pool's balance by bucket, the credit wall when it is empty, usage
 * per day (the chart) and per agent and client with what the credits bought, the credit movements,
 * and what can be bought. {@code paysHere} is false for a client, whose agency pays.
 */
public record BillingView(
    Balance balance,
    Optional<CreditWall> wall,
    List<Day> days,
    List<AgentUsage> agents,
    List<ClientUsage> clients,
    List<Movement> movements,
    Long olderBefore,
    boolean paysHere,
    boolean mayBuy,
    List<Pack> packs,
    List<Plan> plans) {

  /** The chart's points for the page's script: {@code 2026-11-06:0,2026-11-07:3,...}. */
  public String chartPoints() {
    return String.join(",", days.stream().map(day -> day.day() + ":" + day.credits()).toList());
  }

  public record Balance(String tier, boolean unlimited, long daily, long monthly, long purchased, long reserved, long available,
      long boughtInTotal, boolean low) {}

  /** No credits left: the smallest pack, and the plan that would have covered last month's usage (empty if none would). */
  public record CreditWall(long lastMonthUsed, Pack cheapestPack, Optional<Plan> coveringPlan) {}

  public record Day(String day, long credits) {}

  public record AgentUsage(String agentId, long aiReplies, long toolCalls, long smsSegments, long total, long turns) {}

  public record ClientUsage(String orgName, long total, long turns) {}

  public record Movement(String what, String detail, long amount, String bucket, String when) {}

  public record Pack(String id, long credits, String price) {}

  public record Plan(String id, String monthlyCredits, String price, boolean current) {}
}
