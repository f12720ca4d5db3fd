package io.layercake.runtime.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercake.config.LayercakeSettings;
import java.util.Map;

/** The Pekko configuration of a node of the Layercake cluster, derived from the typed settings. */
public final class ClusterConfig {
  public static final String SYSTEM_NAME = "layercake";

  private ClusterConfig() {}

  public static Config of(LayercakeSettings settings) {
    Config derived =
        ConfigFactory.parseMap(
            Map.of(
                "pekko.remote.artery.canonical.hostname", settings.cluster().host(),
                "pekko.remote.artery.canonical.port", settings.cluster().port(),
                "pekko.cluster.seed-nodes", settings.cluster().seedNodes(),
                "pekko.cluster.sharding.passivation.default-idle-strategy.idle.timeout",
                    settings.entities().passivationIdleTimeout().toMillis() + "ms"),
            "layercake cluster settings");
    return derived.withFallback(ConfigFactory.parseResources(ClusterConfig.class.getClassLoader(), "layercake-cluster.conf"));
  }
}
