package io.layercake.runtime.credits;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Asks organizations, wherever in the cluster they live. */
public final class Organizations {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public Organizations(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  public CompletionStage<OrgEntity.Reply> open(String orgId, String name, String tier, String parentOrgId) {
    return org(orgId).ask(replyTo -> new OrgEntity.Open(name, tier, parentOrgId, replyTo), askTimeout);
  }

  public CompletionStage<OrgEntity.Reply> grant(String orgId, String periodKey, Bucket bucket, long amount) {
    return org(orgId).ask(replyTo -> new OrgEntity.Grant(periodKey, bucket, amount, replyTo), askTimeout);
  }

  public CompletionStage<OrgEntity.Reply> summary(String orgId) {
    return org(orgId).ask(OrgEntity.GetSummary::new, askTimeout);
  }

  public CompletionStage<Boolean> exists(String orgId) {
    return summary(orgId).thenApplyAsync(OrgEntity.Accepted.class::isInstance, system.executionContext());
  }

  private EntityRef<OrgEntity.Command> org(String orgId) {
    return sharding.entityRefFor(OrgEntity.TYPE_KEY, orgId);
  }
}
