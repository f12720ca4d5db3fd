package io.layercake.config;

import java.time.Duration;

/**
 * How the read-model projections group their events: a group of at most {@code groupSize} events
 * is written in one transaction (JDBC batches, the projection's offset in the same commit), at the
 * latest {@code groupWithin} after its first event arrived.
 */
public record ProjectionSettings(int groupSize, Duration groupWithin) {
  /** A group is one transaction: bounded so that a retried group stays small. */
  public static final int MAX_GROUP_SIZE = 10_000;
  /** The most a read model may lag behind under low load. */
  public static final Duration MAX_GROUP_WITHIN = Duration.ofSeconds(10);
}
