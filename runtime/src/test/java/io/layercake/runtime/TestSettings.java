package io.layercake.runtime;

import io.layercake.config.Catalog;
import io.layercake.config.CreditSettings;
import io.layercake.config.EntitySettings;
import io.layercake.config.SettingsLoader;
import io.layercake.runtime.credits.OrgEntity;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;

/** Settings for entity tests: the default catalog, a short TTL, snapshots as often as a test wants. */
public final class TestSettings {
  public static final Duration RESERVATION_TTL = Duration.ofMinutes(5);
  public static final Catalog CATALOG = SettingsLoader.load(Map.of()).catalog();

  private TestSettings() {}

  public static EntitySettings entities(int snapshotEvery) {
    return new EntitySettings(Duration.ofMinutes(2), snapshotEvery, 2, Duration.ofSeconds(5), Duration.ofSeconds(10), false);
  }

  public static CreditSettings credits() {
    return new CreditSettings(RESERVATION_TTL, Duration.ofSeconds(30), 20);
  }

  public static OrgEntity.Dependencies orgDependencies(
      int snapshotEvery, Function<String, RecipientRef<OrgEntity.Command>> orgs, java.time.Clock clock) {
    return new OrgEntity.Dependencies(entities(snapshotEvery), credits(), CATALOG, orgs, clock);
  }
}
