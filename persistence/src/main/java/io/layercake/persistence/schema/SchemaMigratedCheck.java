package io.layercake.persistence.schema;

import io.layercake.runtime.health.ReadinessCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Migrations run before the actor system starts, so once a node exists this reports the version it reached. */
public final class SchemaMigratedCheck implements ReadinessCheck {
  private final SchemaMigrations.SchemaVersion version;

  public SchemaMigratedCheck(SchemaMigrations.SchemaVersion version) {
    this.version = version;
  }

  @Override
  public String name() {
    return "schema";
  }

  @Override
  public CompletionStage<CheckResult> check() {
    return CompletableFuture.completedFuture(CheckResult.ok("version " + version.version()));
  }
}
