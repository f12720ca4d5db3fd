package io.layercake.runtime;

import io.layercake.config.EntitySettings;
import java.time.Duration;

/** Settings for entity tests: snapshots often, so recovery from snapshot is exercised. */
public final class TestSettings {
  private TestSettings() {}

  public static EntitySettings entities(int snapshotEvery) {
    return new EntitySettings(Duration.ofMinutes(2), snapshotEvery, 2);
  }
}
