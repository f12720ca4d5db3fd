package io.layercake.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.journal.JournalConfig;
import io.layercake.persistence.journal.JournalHealthCheck;
import io.layercake.runtime.cluster.ClusterConfig;
import java.util.Map;

/**
 * The whole Pekko configuration of a node: its database, model thread pool, management health checks and cluster settings
 * over the loaded configuration.
 */
public final class NodeConfig {
  private NodeConfig() {}

  public static Config pekkoConfig(LayercakeSettings settings) {
    return JournalConfig.of(settings.database())
        .withFallback(ConfigFactory.parseMap(Map.of(
            "layercake-llm-dispatcher.thread-pool-executor.fixed-pool-size", settings.llm().streamingThreads(),
            "pekko.management.health-checks.readiness-checks.journal", JournalHealthCheck.class.getName()),
            "layercake.llm.streaming-threads"))
        .withFallback(ClusterConfig.of(settings))
        .withFallback(settings.pekko())
        .resolve();
  }
}
