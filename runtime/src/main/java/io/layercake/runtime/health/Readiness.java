package io.layercake.runtime.health;

import io.layercake.runtime.health.ReadinessCheck.CheckResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Runs every readiness check at once; the node is ready when all pass. */
public final class Readiness {
  private final List<ReadinessCheck> checks;
  private final Executor executor;

  public Readiness(List<ReadinessCheck> checks, Executor executor) {
    this.checks = List.copyOf(checks);
    this.executor = executor;
  }

  public CompletableFuture<Report> check() {
    List<CompletableFuture<CheckResult>> results =
        checks.stream()
            .map(check -> check.check().toCompletableFuture()
                .exceptionallyAsync(failure -> CheckResult.failed("check failed: " + failure), executor))
            .toList();
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApplyAsync(ignored -> {
          Map<String, CheckResult> byName = new LinkedHashMap<>();
          for (int i = 0; i < checks.size(); i++) {
            byName.put(checks.get(i).name(), results.get(i).join());
          }
          return new Report(byName);
        }, executor);
  }

  /** Every check's result by name. */
  public record Report(Map<String, CheckResult> checks) {
    public boolean ready() {
      return checks.values().stream().allMatch(CheckResult::ok);
    }
  }
}
