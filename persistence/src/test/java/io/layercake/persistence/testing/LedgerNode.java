package io.layercake.persistence.testing;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.credits.CreditLedger;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.ShardedEntities;
import io.layercake.runtime.cluster.ClusterFormation;
import io.layercake.runtime.health.ClusterMemberUpCheck;
import io.layercake.runtime.health.ReadinessCheck.CheckResult;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** A node of one with the credit ledger running (entities, projection, sweeper) on a migrated database. */
public final class LedgerNode implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final ActorTestKit testKit;
  private final CreditLedger ledger;

  private LedgerNode(ActorTestKit testKit, CreditLedger ledger) {
    this.testKit = testKit;
    this.ledger = ledger;
  }

  public static LedgerNode start(LayercakeSettings settings) {
    ActorTestKit testKit = ActorTestKit.create("layercake", TestNodes.migratedPekkoConfig(settings));
    ClusterFormation.join(testKit.system(), settings.cluster());
    ShardedEntities.init(testKit.system(), settings);
    ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
    CreditLedger ledger = CreditLedger.start(testKit.system(), settings, database);
    ClusterMemberUpCheck memberUp = new ClusterMemberUpCheck(testKit.system());
    testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      CheckResult result = memberUp.check().toCompletableFuture().join();
      if (!result.ok()) {
        throw new AssertionError(result.detail());
      }
      return null;
    });
    return new LedgerNode(testKit, ledger);
  }

  public CreditLedger ledger() {
    return ledger;
  }

  public ActorTestKit testKit() {
    return testKit;
  }

  /** Retries {@code assertion} until it passes or {@link #TIMEOUT} runs out. */
  public void eventually(Runnable assertion) {
    testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
