package io.layercake.runtime.health;

import java.util.concurrent.CompletionStage;

/** One condition a node needs before it takes traffic. Checks never block: they answer later. */
public interface ReadinessCheck {
  String name();

  CompletionStage<CheckResult> check();

  /** The outcome of a check, with a short human reason when it failed. */
  record CheckResult(boolean ok, String detail) {
    public static CheckResult ok(String detail) {
      return new CheckResult(true, detail);
    }

    public static CheckResult failed(String detail) {
      return new CheckResult(false, detail);
    }
  }
}
