package io.layercake.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.ShardedEntities;
import io.layercake.runtime.cluster.ClusterFormation;
import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.health.ClusterMemberUpCheck;
import io.layercake.runtime.health.ReadinessCheck.CheckResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A node of one forms its cluster, serves entities through sharding, and a new node on the same database recovers them. */
@ExtendWith(FreshDatabases.Extension.class)
class ShardedOrgRecoveryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final List<String> ORGS = IntStream.rangeClosed(1, 20).mapToObj(i -> "org-" + i).toList();

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aRestartedNodeRecoversEveryEntity(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);

    ActorTestKit first = startNode(settings);
    try {
      ClusterSharding sharding = ClusterSharding.get(first.system());
      for (String orgId : ORGS) {
        var org = sharding.entityRefFor(OrgEntity.TYPE_KEY, orgId);
        assertThat(org.<OrgEntity.Reply>ask(replyTo -> new OrgEntity.Open(orgId, "pro", null, replyTo), TIMEOUT)
            .toCompletableFuture().join()).isInstanceOf(OrgEntity.Accepted.class);
        assertThat(org.<OrgEntity.Reply>ask(replyTo -> new OrgEntity.Grant("2026-11", Bucket.MONTHLY, 200, replyTo), TIMEOUT)
            .toCompletableFuture().join()).isInstanceOf(OrgEntity.CurrentBalance.class);
      }
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = startNode(settings);
    try {
      ClusterSharding sharding = ClusterSharding.get(second.system());
      for (String orgId : ORGS) {
        var org = sharding.entityRefFor(OrgEntity.TYPE_KEY, orgId);
        OrgEntity.Reply summary = org.<OrgEntity.Reply>ask(OrgEntity.GetSummary::new, TIMEOUT).toCompletableFuture().join();
        OrgEntity.Reply balance = org.<OrgEntity.Reply>ask(OrgEntity.GetBalance::new, TIMEOUT).toCompletableFuture().join();
        assertThat(summary).isEqualTo(new OrgEntity.Accepted(new OrgEntity.Summary(orgId, orgId, "pro", null)));
        assertThat(((OrgEntity.CurrentBalance) balance).balance().buckets()).isEqualTo(new Balances(0, 200, 0));
      }
    } finally {
      second.shutdownTestKit();
    }
  }

  private static ActorTestKit startNode(LayercakeSettings settings) {
    ActorTestKit testKit = ActorTestKit.create("layercake", TestNodes.migratedPekkoConfig(settings));
    ClusterFormation.join(testKit.system(), settings.cluster());
    ShardedEntities.init(testKit.system(), settings);
    ClusterMemberUpCheck memberUp = new ClusterMemberUpCheck(testKit.system());
    testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      CheckResult result = memberUp.check().toCompletableFuture().join();
      assertThat(result.ok()).as(result.detail()).isTrue();
      return null;
    });
    return testKit;
  }

}
