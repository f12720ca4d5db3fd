package io.layercake.runtime.setup;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The setups an organization started, newest first, for the dashboard (a port; persistence implements it). */
public interface SetupDirectory {
  /** Records a started setup; recording it again changes nothing. */
  CompletionStage<Void> started(String setupId, String orgId, String ownerName, Instant startedAt);

  CompletionStage<Void> connected(String setupId, String agentId);

  CompletionStage<List<SetupEntry>> of(List<String> orgIds);

  /** {@code agentId} null until connected. */
  record SetupEntry(String setupId, String orgId, String ownerName, Instant startedAt, String agentId) {}
}
