package io.layercake.runtime.outreach;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where the agents' follow-up sequences are kept: read by conversations, written by the API. */
public interface FollowupSequences {
  /** The agent's sequences, by name. */
  CompletionStage<List<FollowupSequence>> sequences(String orgId, String agentId);

  /** Creates or replaces the sequence of its agent and name. */
  CompletionStage<FollowupSequence> save(String orgId, FollowupSequence sequence, Instant at);

  /** False when there was none of that name. */
  CompletionStage<Boolean> delete(String orgId, String agentId, String name);
}
