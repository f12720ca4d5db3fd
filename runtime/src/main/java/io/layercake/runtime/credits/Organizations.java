package io.layercake.runtime.credits;

import io.layercake.runtime.concurrent.Stages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Asks organizations and their ledgers, wherever in the cluster they live. */
public final class Organizations {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Executor executor;

  public Organizations(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.executor = system.executionContext();
  }

  public CompletionStage<OrgEntity.Reply> open(String orgId, String name, String tier, String parentOrgId) {
    return answered(org(orgId).ask(replyTo -> new OrgEntity.Open(name, tier, parentOrgId, replyTo), askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> changeTier(String orgId, String tier, String idempotencyKey) {
    return answered(org(orgId).ask(replyTo -> new OrgEntity.ChangeTier(tier, idempotencyKey, replyTo), askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> rename(String orgId, String name) {
    return answered(org(orgId).ask(replyTo -> new OrgEntity.Rename(name, replyTo), askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> grant(String orgId, String periodKey, Bucket bucket, long amount) {
    return answered(org(orgId).ask(replyTo -> new OrgEntity.Grant(periodKey, bucket, amount, replyTo), askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> addPurchased(String orgId, String idempotencyKey, long credits) {
    return answered(org(orgId).ask(
        replyTo -> new OrgEntity.AddPurchased(idempotencyKey, credits, replyTo), askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> reserve(String orgId, String reservationId, long amount, String sessionId, String agentId) {
    return answered(org(orgId).ask(
        replyTo -> new OrgEntity.Reserve(reservationId, amount, sessionId, agentId, null, replyTo), askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> commit(String orgId, String reservationId, long actualCost, List<CostLine> breakdown) {
    return answered(org(orgId).ask(
        replyTo -> new OrgEntity.Commit(reservationId, actualCost, breakdown, null, replyTo), askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> release(String orgId, String reservationId) {
    return answered(org(orgId).ask(replyTo -> new OrgEntity.Release(reservationId, null, replyTo), askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> summary(String orgId) {
    return answered(org(orgId).ask(OrgEntity.GetSummary::new, askTimeout));
  }

  public CompletionStage<OrgEntity.Reply> balance(String orgId) {
    return answered(org(orgId).ask(OrgEntity.GetBalance::new, askTimeout));
  }

  public CompletionStage<Boolean> exists(String orgId) {
    return summary(orgId).thenApplyAsync(OrgEntity.Accepted.class::isInstance, system.executionContext());
  }

  /** Whether the organization exists and holds its own credits (is not a sub-organization). */
  public CompletionStage<Boolean> isPool(String orgId) {
    return summary(orgId).thenApplyAsync(
        reply -> reply instanceof OrgEntity.Accepted accepted && accepted.summary().parentOrgId() == null,
        system.executionContext());
  }

  /** Wakes an organization that may not be in memory so it expires an overdue reservation. */
  public void expire(String orgId, String reservationId) {
    org(orgId).tell(new OrgEntity.ExpireReservation(reservationId));
  }

  private EntityRef<OrgEntity.Command> org(String orgId) {
    return sharding.entityRefFor(OrgEntity.TYPE_KEY, orgId);
  }

  /** Pekko's answer as a plain future: dependent stages run on the dispatcher, never on the common pool. */
  private <T> CompletionStage<T> answered(CompletionStage<T> answer) {
    return Stages.on(answer, executor);
  }
}
