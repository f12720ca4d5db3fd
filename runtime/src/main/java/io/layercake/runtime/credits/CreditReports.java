package io.layercake.runtime.credits;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Questions about past credit movements, answered from the read model (a port; persistence implements it). */
public interface CreditReports {

  /**
   * What turns cost, per sub-organization and agent, in {@code [from, to)}. For a pool this covers
   * its sub-organizations too; for a sub-organization only its own usage.
   */
  CompletionStage<List<AgentUsage>> usageByAgent(String orgId, Instant from, Instant to);

  /**
   * What turns cost per sub-organization, agent and item ({@code ai_reply}, {@code tool:<name>},
   * {@code sms_segment}) in {@code [from, to)}: the breakdown behind {@link #usageByAgent}.
   */
  CompletionStage<List<ItemUsage>> usageByItem(String orgId, Instant from, Instant to);

  /** What each conversation (session) of an organization cost in {@code [from, to)}, most expensive first. */
  CompletionStage<List<SessionUsage>> usageBySession(String orgId, Instant from, Instant to, int limit);

  /** What turns cost per UTC day in {@code [from, to)}, oldest day first (a pool's days include its sub-organizations'). */
  CompletionStage<List<DayUsage>> usageByDay(String orgId, Instant from, Instant to);

  /** The organization's credit movements, newest first, before the given id (0: from the newest). */
  CompletionStage<List<Transaction>> transactions(String orgId, long beforeId, int limit);

  /** Reservations past their expiry that are still open, oldest first. */
  CompletionStage<List<OverdueReservation>> overdueReservations(Instant now, int limit);

  record AgentUsage(String subOrgId, String agentId, long credits, long turns) {}

  record ItemUsage(String subOrgId, String agentId, String item, long credits) {}

  record SessionUsage(String subOrgId, String agentId, String sessionId, long credits, long turns) {}

  record OverdueReservation(String orgId, String reservationId) {}

  record DayUsage(String day, long credits, long turns) {}

  record Transaction(
      long id, String orgId, String subOrgId, String agentId, String sessionId, String kind, String bucket, long amount,
      String item, Instant at) {}
}
