package io.layercake.config;

import java.time.Duration;
import java.util.List;

/**
 * How this node finds its peers and how the cluster is run.
 *
 * <p>A node joins either through static {@code seedNodes} or through Pekko Management's Cluster
 * Bootstrap, which finds the other nodes by {@link Discovery} (a fixed list of contact points, DNS,
 * or the Kubernetes API); with neither it forms a cluster of one. {@code managementPort} serves
 * Pekko Management's health and membership endpoints (bootstrap talks to them too). The split-brain
 * resolver keeps the majority side and downs the others once membership has been stable for
 * {@code splitBrainStableAfter}; the shards and singletons of a downed node start elsewhere
 * {@code downRemovalMargin} after it was removed (time for a node on the minority side of a network
 * partition to stop its own copies first).
 */
public record ClusterSettings(
    String host,
    int port,
    List<String> seedNodes,
    Discovery discovery,
    String serviceName,
    List<String> contactPoints,
    int requiredContactPoints,
    int managementPort,
    Duration splitBrainStableAfter,
    Duration downRemovalMargin) {

  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
    contactPoints = List.copyOf(contactPoints);
  }

  public boolean formsClusterAlone() {
    return seedNodes.isEmpty() && discovery == Discovery.NONE;
  }

  public boolean bootstraps() {
    return discovery != Discovery.NONE;
  }

  /** How Cluster Bootstrap finds the other nodes. */
  public enum Discovery {
    /** No bootstrap: static seed nodes, or a cluster of one. */
    NONE("none"),
    /** The contact points listed in the settings (host:management-port). */
    CONFIG("config"),
    /** DNS A/SRV records of {@code serviceName} (a headless Kubernetes service, Consul...). */
    DNS("pekko-dns"),
    /** Pods listed by the Kubernetes API with the label {@code app=<serviceName>}. */
    KUBERNETES_API("kubernetes-api");

    private final String pekkoMethod;

    Discovery(String pekkoMethod) {
      this.pekkoMethod = pekkoMethod;
    }

    /** The name Pekko Discovery knows the method by. */
    public String pekkoMethod() {
      return pekkoMethod;
    }
  }
}
