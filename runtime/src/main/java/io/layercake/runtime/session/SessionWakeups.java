package io.layercake.runtime.session;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Which conversations have work overdue at a moment (kept by the conversation read model). */
public interface SessionWakeups {
  /** Up to {@code limit} conversations with work due at {@code now}, ordered by id, after {@code afterSessionId} ("" for the first page). */
  CompletionStage<List<String>> due(Instant now, String afterSessionId, int limit);
}
