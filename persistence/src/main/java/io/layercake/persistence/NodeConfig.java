package io.layercake.persistence;

import com.typesafe.config.Config;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.journal.JournalConfig;
import io.layercake.runtime.cluster.ClusterConfig;

/** The whole Pekko configuration of a node: its database and cluster settings over the loaded configuration. */
public final class NodeConfig {
  private NodeConfig() {}

  public static Config pekkoConfig(LayercakeSettings settings) {
    return JournalConfig.of(settings.database())
        .withFallback(ClusterConfig.of(settings))
        .withFallback(settings.pekko())
        .resolve();
  }
}
