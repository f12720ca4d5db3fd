package io.layercake.config;

import java.time.Duration;

/**
 * Where the hosted model providers are, how long a call may take, and how many calls may be in
 * flight at once on a node (the provider clients block a thread per call). An empty key leaves a
 * provider unconfigured.
 */
public record LlmSettings(Duration timeout, Endpoint openai, Endpoint anthropic, int maxConcurrentCalls) {
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = 256;

  public LlmSettings(Duration timeout, Endpoint openai, Endpoint anthropic) {
    this(timeout, openai, anthropic, DEFAULT_MAX_CONCURRENT_CALLS);
  }

  /** A provider's API base URL and key. */
  public record Endpoint(String baseUrl, Secret apiKey) {}
}
