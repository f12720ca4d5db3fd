package io.layercake.runtime.session;

import java.time.Duration;

/**
 * Keeps conversations that go on in step from doing their periodic work in the same second. Conversations that
 * started together (an outreach campaign's, a benchmark's) and go on alike would otherwise all write their
 * snapshots, or all settle or return their credit leases with the one organization, at once: 100 of any of these
 * in one second held the node's whole p99 in the benchmark's open loop (docs/benchmark.md). Each figure is the
 * setting moved by the conversation's id (and, for a lease, the turn that takes it), so it is the same whenever it
 * is worked out again.
 */
final class InStep {
  private InStep() {}

  /** Events between a conversation's snapshots: within an eighth of the setting either side (recovery reads at most that). */
  static int snapshotEvery(String sessionId, int setting) {
    int spread = setting / 4;
    return setting - spread / 2 + Math.floorMod(sessionId.hashCode(), spread + 1);
  }

  /**
   * Turns the lease taken by turn {@code turn} is asked for: the setting and up to half as many again. Never fewer,
   * so a conversation as long as one lease still needs one; a different figure for each lease, so conversations in
   * step drift apart after their first.
   */
  static int leaseTurns(String sessionId, int turn, int setting) {
    return setting + Math.floorMod(mixed(sessionId.hashCode() * 31 + turn), setting / 2 + 1);
  }

  /**
   * How long an unused lease waits before it goes back: between three quarters of the setting and the setting, so
   * conversations that went quiet together (a benchmark's round, a campaign's replies) return theirs apart.
   */
  static Duration leaseIdle(String sessionId, Duration setting) {
    long millis = setting.toMillis();
    return Duration.ofMillis(millis - Math.floorMod(mixed(sessionId.hashCode()), millis / 4 + 1));
  }

  /** Spreads consecutive inputs over the whole range (MurmurHash3's finalizer). */
  private static int mixed(int value) {
    int h = value;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
