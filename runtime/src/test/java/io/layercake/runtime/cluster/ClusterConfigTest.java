package io.layercake.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.SettingsLoader;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.junit.jupiter.api.Test;

/** The node's settings reach Pekko under the keys Pekko reads (a key it does not know is silently ignored). */
class ClusterConfigTest {

  @Test
  void thePassivationTimeoutIsTheOneSharding() {
    LayercakeSettings settings = SettingsLoader.load(Map.of(
        "LAYERCAKE_ENTITIES_PASSIVATION_IDLE_TIMEOUT", "30m", "LAYERCAKE_CLUSTER_PORT", "0", "LAYERCAKE_CLUSTER_MANAGEMENT_PORT", "0"));
    ActorTestKit testKit = ActorTestKit.create(ClusterConfig.of(settings).withFallback(settings.pekko()).resolve());
    try {
      ClusterShardingSettings sharding = ClusterShardingSettings.create(testKit.system());

      assertThat(sharding.passivationStrategySettings().idleEntitySettings().get().timeout().toMillis())
          .isEqualTo(Duration.ofMinutes(30).toMillis());
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
