package io.layercake.runtime.session;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Which conversations have work overdue at a moment (kept by the conversation read model). */
public interface SessionWakeups {
  CompletionStage<List<String>> due(Instant now, int limit);
}
