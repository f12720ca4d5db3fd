package io.layercake.config;

import java.time.Duration;

/**
 * How long entities stay in memory when idle, how often they snapshot, and how long a caller waits
 * for an entity's answer ({@code askTimeout}: a conversation asking its organization for credits,
 * a route asking a conversation) before it treats the ask as failed.
 */
public record EntitySettings(Duration passivationIdleTimeout, int snapshotEvery, int keepSnapshots, Duration askTimeout) {}
