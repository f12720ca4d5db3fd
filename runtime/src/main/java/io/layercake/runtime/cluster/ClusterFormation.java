package io.layercake.runtime.cluster;

import io.layercake.config.ClusterSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the node's Pekko Management endpoints and joins the cluster: through Cluster Bootstrap when
 * a discovery method is set, through the configured seed nodes (Pekko joins them by itself), or
 * alone.
 */
public final class ClusterFormation {
  private static final Logger log = LoggerFactory.getLogger(ClusterFormation.class);
  private static final Duration MANAGEMENT_BIND_TIMEOUT = Duration.ofSeconds(30);

  private ClusterFormation() {}

  public static void join(ActorSystem<?> system, ClusterSettings settings) {
    startManagement(system);
    Cluster cluster = Cluster.get(system);
    if (settings.bootstraps()) {
      log.info("Joining the cluster through Cluster Bootstrap: {} discovery of '{}', {} contact point(s) to form a new one",
          settings.discovery().pekkoMethod(), settings.serviceName(), settings.requiredContactPoints());
      ClusterBootstrap.get(Adapter.toClassic(system)).start();
    } else if (settings.formsClusterAlone()) {
      log.info("Forming a cluster of one at {}", cluster.selfMember().address());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      log.info("Joining the cluster through seed nodes {}", settings.seedNodes());
    }
  }

  private static void startManagement(ActorSystem<?> system) {
    try {
      org.apache.pekko.http.javadsl.model.Uri uri = PekkoManagement.get(Adapter.toClassic(system)).start().toCompletableFuture()
          .get(MANAGEMENT_BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      log.info("Pekko Management (health, cluster membership, bootstrap) on {}", uri);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Pekko Management", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not start Pekko Management: " + e.getMessage(), e);
    }
  }
}
