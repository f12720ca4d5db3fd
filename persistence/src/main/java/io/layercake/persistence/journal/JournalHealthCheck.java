package io.layercake.persistence.journal;

import io.layercake.runtime.health.ReadinessCheck;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The journal check as a Pekko Management readiness check, so the management port's
 * {@code /ready} says what the API port's {@code /health/ready} says about the database. Pekko
 * Management instantiates it by name with the node's actor system.
 */
public final class JournalHealthCheck implements Supplier<CompletionStage<Boolean>> {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final JournalReachableCheck check;

  public JournalHealthCheck(ActorSystem system) {
    this.check = new JournalReachableCheck(Adapter.toTyped(system), TIMEOUT);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return check.check().thenApply(ReadinessCheck.CheckResult::ok);
  }
}
