package io.layercake.config;

import java.time.Duration;

/**
 * The HTTP server: where it listens, how much it accepts, how long it drains on shutdown, and
 * {@code publicBaseUrl}, the URL at which providers reach it from the internet (e.g.
 * {@code https://layercake.example.com}, no trailing slash; empty: not known, so no callback URL is
 * sent to providers).
 */
public record HttpSettings(
    String host, int port, long maxRequestBytes, Duration shutdownDeadline, String publicBaseUrl) {

  /** Settings without a public base URL. */
  public HttpSettings(String host, int port, long maxRequestBytes, Duration shutdownDeadline) {
    this(host, port, maxRequestBytes, shutdownDeadline, "");
  }
}
