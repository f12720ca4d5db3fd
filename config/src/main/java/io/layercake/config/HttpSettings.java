package io.layercake.config;

import java.time.Duration;

/**
 * The HTTP server: where it listens, how much it accepts, how long it drains on shutdown, and
 * {@code publicBaseUrl}, the URL at which providers reach it from the internet (e.g.
 * {@code https://layercake.example.com}, no trailing slash; empty: not known, so no callback URL is
 * sent to providers). {@code metricsToken}: what a scraper from another address presents to read
 * {@code /metrics} (loopback callers need none; empty: loopback only).
 */
public record HttpSettings(
    String host, int port, long maxRequestBytes, Duration shutdownDeadline, String publicBaseUrl, Secret metricsToken) {

  /** Settings without a public base URL. */
  public HttpSettings(String host, int port, long maxRequestBytes, Duration shutdownDeadline) {
    this(host, port, maxRequestBytes, shutdownDeadline, "");
  }

  /** Settings whose metrics only loopback callers read. */
  public HttpSettings(String host, int port, long maxRequestBytes, Duration shutdownDeadline, String publicBaseUrl) {
    this(host, port, maxRequestBytes, shutdownDeadline, publicBaseUrl, Secret.of(""));
  }
}
