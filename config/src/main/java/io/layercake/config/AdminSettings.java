package io.layercake.config;

/** Operator access. An empty token disables the operator endpoints. */
public record AdminSettings(Secret token) {
  public boolean enabled() {
    return !token.isEmpty();
  }
}
