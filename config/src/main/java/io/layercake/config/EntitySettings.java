package io.layercake.config;

import java.time.Duration;

/**
 * How long entities stay in memory when idle, how often they snapshot, and how long a caller waits
 * for an entity's answer ({@code askTimeout}: a conversation asking its organization for credits,
 * a route asking a conversation) before it treats the ask as failed. A webhook keeps handing its
 * messages to their conversations for up to {@code ingestWait} (a conversation whose node was lost
 * answers once its shard moved) before it answers the provider 5xx. With {@code prebuildJson} a node builds
 * the JSON serializers of everything its entities journal as it starts, so no journal write waits for one.
 */
public record EntitySettings(
    Duration passivationIdleTimeout, int snapshotEvery, int keepSnapshots, Duration askTimeout, Duration ingestWait,
    boolean prebuildJson) {

  /**
   * How long one hand-over of a message waits for its answer: an eighth of the ingest wait, so a
   * hand-over lost on a node that just died is made again soon after its shard moved.
   */
  public Duration ingestAttempt() {
    Duration eighth = ingestWait.dividedBy(8);
    return askTimeout.compareTo(eighth) < 0 ? askTimeout : eighth;
  }
}
