package io.layercake.config;

import java.time.Duration;

/**
 * How much knowledge an agent's prompt carries, how large an uploaded document may be, and how a
 * node keeps what a turn reads but rarely changes (the agent's configuration, channel bindings and
 * numbers, provider tokens, knowledge documents).
 */
public record AgentSettings(int knowledgeCharacterCap, long maxDocumentBytes, ReferenceCache referenceCache) {
  public AgentSettings(int knowledgeCharacterCap, long maxDocumentBytes) {
    this(knowledgeCharacterCap, maxDocumentBytes, ReferenceCache.DEFAULT);
  }

  /**
   * Per node and per kind of data at most {@code maxEntries} entries; each is dropped when a change is
   * announced in the cluster, and after {@code ttl} at the latest (the bound on staleness when an
   * announcement is lost).
   */
  public record ReferenceCache(int maxEntries, Duration ttl) {
    public static final ReferenceCache DEFAULT = new ReferenceCache(10_000, Duration.ofMinutes(1));
  }
}
