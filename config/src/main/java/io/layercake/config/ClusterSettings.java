package io.layercake.config;

import java.util.List;

/** Where this node listens for its peers and which nodes it joins. No seed nodes: it joins itself. */
public record ClusterSettings(String host, int port, List<String> seedNodes) {
  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
  }

  public boolean formsClusterAlone() {
    return seedNodes.isEmpty();
  }
}
