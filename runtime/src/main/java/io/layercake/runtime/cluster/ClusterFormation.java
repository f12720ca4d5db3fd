package io.layercake.runtime.cluster;

import io.layercake.config.ClusterSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Joins the cluster: the configured seed nodes do it by themselves, a lone node joins itself. */
public final class ClusterFormation {
  private static final Logger log = LoggerFactory.getLogger(ClusterFormation.class);

  private ClusterFormation() {}

  public static void join(ActorSystem<?> system, ClusterSettings settings) {
    Cluster cluster = Cluster.get(system);
    if (settings.formsClusterAlone()) {
      log.info("Forming a cluster of one at {}", cluster.selfMember().address());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      log.info("Joining the cluster through seed nodes {}", settings.seedNodes());
    }
  }
}
