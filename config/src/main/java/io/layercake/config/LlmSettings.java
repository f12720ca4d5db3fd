package io.layercake.config;

import java.time.Duration;

/**
 * Where the hosted model providers are, how long a call may take, how many calls may be in flight at
 * once on a node (a whole answer holds a connection, not a thread), and how many streamed answers
 * are read at once (each holds a thread while it streams). An empty key leaves a provider unconfigured.
 */
public record LlmSettings(Duration timeout, Endpoint openai, Endpoint anthropic, int maxConcurrentCalls, int streamingThreads) {
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = 1024;
  public static final int DEFAULT_STREAMING_THREADS = 64;

  public LlmSettings(Duration timeout, Endpoint openai, Endpoint anthropic) {
    this(timeout, openai, anthropic, DEFAULT_MAX_CONCURRENT_CALLS, DEFAULT_STREAMING_THREADS);
  }

  /** A provider's API base URL and key. */
  public record Endpoint(String baseUrl, Secret apiKey) {}
}
