package io.layercake.config;

import java.time.Duration;

/**
 * How much knowledge an agent's prompt carries, how large an uploaded document may be, and how a
 * node keeps what a turn reads but rarely changes (the agent's configuration, channel bindings and
 * numbers, provider tokens, knowledge documents), and how replays of recorded conversations against a
 * candidate configuration run.
 */
public record AgentSettings(int knowledgeCharacterCap, long maxDocumentBytes, ReferenceCache referenceCache, Replays replays) {
  public AgentSettings(int knowledgeCharacterCap, long maxDocumentBytes) {
    this(knowledgeCharacterCap, maxDocumentBytes, ReferenceCache.DEFAULT, Replays.DEFAULT);
  }

  public AgentSettings(int knowledgeCharacterCap, long maxDocumentBytes, ReferenceCache referenceCache) {
    this(knowledgeCharacterCap, maxDocumentBytes, referenceCache, Replays.DEFAULT);
  }

  /**
   * Per node and per kind of data at most {@code maxEntries} entries; each is dropped when a change is
   * announced in the cluster, and after {@code ttl} at the latest (the bound on staleness when an
   * announcement is lost).
   */
  public record ReferenceCache(int maxEntries, Duration ttl) {
    public static final ReferenceCache DEFAULT = new ReferenceCache(10_000, Duration.ofMinutes(1));
  }

  /**
   * Replays: every {@code pollInterval} the runner looks for replays with messages left, works on
   * up to {@code parallel} replays at once and up to {@code turnsPerReplay} turns of each, takes at
   * most {@code maxTurns} recorded turns into one replay, and gives a replay {@code defaultBudget}
   * credits to spend when its request names none.
   */
  public record Replays(java.time.Duration pollInterval, int parallel, int turnsPerReplay, int maxTurns, long defaultBudget) {
    public static final Replays DEFAULT = new Replays(java.time.Duration.ofSeconds(1), 4, 4, 500, 1_000);
  }
}
