package io.layercake.runtime.session;

/**
 * How many events apart a conversation writes its snapshots: the setting, moved by up to an eighth either side by
 * the conversation's id. Conversations that started together (an outreach campaign's, a benchmark's) and go on
 * alike would otherwise all write their snapshots in the same second: 100 states of up to tens of kilobytes at
 * once, which held the node's whole p99 in the benchmark's open loop (docs/benchmark.md). Recovery reads at most
 * the setting and an eighth.
 */
final class SnapshotSpread {
  private SnapshotSpread() {}

  static int every(String sessionId, int setting) {
    int spread = setting / 4;
    return setting - spread / 2 + Math.floorMod(sessionId.hashCode(), spread + 1);
  }
}
