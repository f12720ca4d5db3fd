package io.layercake.config;

import java.time.Duration;

/** How long entities stay in memory when idle and how often they snapshot. */
public record EntitySettings(Duration passivationIdleTimeout, int snapshotEvery, int keepSnapshots) {}
