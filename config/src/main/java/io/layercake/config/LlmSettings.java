package io.layercake.config;

import java.time.Duration;

/** Where the hosted model providers are and how long a call may take. An empty key leaves a provider unconfigured. */
public record LlmSettings(Duration timeout, Endpoint openai, Endpoint anthropic) {
  /** A provider's API base URL and key. */
  public record Endpoint(String baseUrl, Secret apiKey) {}
}
