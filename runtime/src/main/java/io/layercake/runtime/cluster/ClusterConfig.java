package io.layercake.runtime.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercake.config.ClusterSettings;
import io.layercake.config.LayercakeSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Pekko configuration of a node of the Layercake cluster, derived from the typed settings. */
public final class ClusterConfig {
  public static final String SYSTEM_NAME = "layercake";

  private ClusterConfig() {}

  public static Config of(LayercakeSettings settings) {
    ClusterSettings cluster = settings.cluster();
    Map<String, Object> derived = new HashMap<>(Map.of(
        "pekko.remote.artery.canonical.hostname", cluster.host(),
        "pekko.remote.artery.canonical.port", cluster.port(),
        "pekko.cluster.seed-nodes", cluster.seedNodes(),
        "pekko.cluster.split-brain-resolver.stable-after", cluster.splitBrainStableAfter().toMillis() + "ms",
        "pekko.cluster.down-removal-margin", cluster.downRemovalMargin().toMillis() + "ms",
        "pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout",
            settings.entities().passivationIdleTimeout().toMillis() + "ms",
        "pekko.management.http.hostname", cluster.host(),
        "pekko.management.http.port", cluster.managementPort()));
    if (cluster.bootstraps()) {
      String discovery = "pekko.management.cluster.bootstrap.contact-point-discovery.";
      derived.put(discovery + "discovery-method", cluster.discovery().pekkoMethod());
      derived.put(discovery + "service-name", cluster.serviceName());
      derived.put(discovery + "required-contact-point-nr", cluster.requiredContactPoints());
      derived.put("pekko.discovery.config.services." + cluster.serviceName() + ".endpoints", endpoints(cluster.contactPoints()));
      // the pods' IPs, as the nodes announce themselves (LAYERCAKE_CLUSTER_HOST = the pod IP): no pod DNS needed
      derived.put("pekko.discovery.kubernetes-api.use-raw-ip", true);
      // listed contact points carry their own ports (several nodes on one host); keep them all
      derived.put("pekko.management.cluster.bootstrap.contact-point.filter-on-fallback-port",
          cluster.discovery() != ClusterSettings.Discovery.CONFIG);
    }
    return ConfigFactory.parseMap(derived, "layercake cluster settings")
        .withFallback(ConfigFactory.parseResources(ClusterConfig.class.getClassLoader(), "layercake-cluster.conf"));
  }

  private static List<Map<String, Object>> endpoints(List<String> contactPoints) {
    return contactPoints.stream()
        .map(contactPoint -> {
          int colon = contactPoint.lastIndexOf(':');
          return Map.<String, Object>of("host", contactPoint.substring(0, colon), "port",
              Integer.parseInt(contactPoint.substring(colon + 1)));
        })
        .toList();
  }
}
