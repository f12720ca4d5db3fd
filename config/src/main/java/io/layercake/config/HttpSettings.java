package io.layercake.config;

import java.time.Duration;

/** The HTTP server: where it listens, how much it accepts, how long it drains on shutdown. */
public record HttpSettings(String host, int port, long maxRequestBytes, Duration shutdownDeadline) {}
