package io.layercake.runtime.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/** Ready once this node is an Up member of the cluster, so sharding can place entities on it. */
public final class ClusterMemberUpCheck implements ReadinessCheck {
  private final Cluster cluster;

  public ClusterMemberUpCheck(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public CompletionStage<CheckResult> check() {
    MemberStatus status = cluster.selfMember().status();
    String detail = "member " + status.toString().toLowerCase(java.util.Locale.ROOT);
    return CompletableFuture.completedFuture(
        status == MemberStatus.up() ? CheckResult.ok(detail) : CheckResult.failed(detail));
  }
}
